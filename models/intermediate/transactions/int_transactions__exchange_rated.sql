-- The exchange rate of each staged transaction to var reporting_currency (seed
-- ref_exchange_rates): the latest rate dated on or before the transaction's local date, else
-- the earliest rate of the currency. The reporting currency converts at 1; a currency with
-- no rate at all gets NULL (reporting amounts NULL, flagged by a warning test).
with transactions as (
    select * from {{ ref('stg_cdp__transactions') }}
),

rates as (
    select * from {{ ref('ref_exchange_rates') }}
),

transaction_dates as (
    select
        transaction_id,
        currency_code,
        {{ utc_to_local_date('transaction_at') }} as rate_lookup_date
    from transactions
),

-- Rates are picked per (currency, local date), of which there are few, not per transaction.
lookup_keys as (
    select distinct
        currency_code,
        rate_lookup_date
    from transaction_dates
),

ranked_rates as (
    select
        lookup_keys.currency_code,
        lookup_keys.rate_lookup_date,
        rates.rate_date,
        rates.rate_to_reporting,
        row_number() over (
            partition by lookup_keys.currency_code, lookup_keys.rate_lookup_date
            order by
                case when rates.rate_date <= lookup_keys.rate_lookup_date then 0 else 1 end,
                case when rates.rate_date <= lookup_keys.rate_lookup_date then rates.rate_date end desc,
                rates.rate_date
        ) as rate_rank
    from lookup_keys
    inner join rates
        on lookup_keys.currency_code = rates.currency_code
),

final as (
    select
        transaction_dates.transaction_id,
        transaction_dates.currency_code,
        transaction_dates.rate_lookup_date,
        case
            when transaction_dates.currency_code = '{{ var("reporting_currency") }}' then null
            else ranked_rates.rate_date
        end as rate_date,
        cast(case
            when transaction_dates.currency_code = '{{ var("reporting_currency") }}' then 1
            else ranked_rates.rate_to_reporting
        end as decimal(18, 8)) as exchange_rate
    from transaction_dates
    left join ranked_rates
        on
            transaction_dates.currency_code = ranked_rates.currency_code
            and transaction_dates.rate_lookup_date = ranked_rates.rate_lookup_date
            and ranked_rates.rate_rank = 1
)

select * from final
