-- Transactions kept in the marts: live, and not of a deleted (erased) customer; a customer
-- or organization missing from the feed does not drop the transaction. Money of a Return is
-- made negative whatever sign it arrived with (docs/decisions/marts.md, netting rule).
{%- set signed = "case when transactions.transaction_type = 'return' then -abs({0}) else {0} end" %}
with transactions as (
    select * from {{ ref('stg_cdp__transactions') }}
),

customers as (
    select * from {{ ref('int_customers__normalized') }}
),

organizations as (
    select * from {{ ref('int_organizations__live') }}
),

rates as (
    select * from {{ ref('int_transactions__exchange_rated') }}
),

final as (
    select
        transactions.transaction_id,
        transactions.customer_id,
        transactions.organization_id,
        organizations.organization_type,
        organizations.is_store,
        organizations.country_code as organization_country_code,
        transactions.transaction_at,
        {{ utc_to_local_date('transactions.transaction_at') }} as transaction_local_date,
        transactions.transaction_type,
        transactions.transaction_type = 'return' as is_return,
        transactions.currency_code,
        {{ signed.format('transactions.total_amount') }} as total_amount,
        {{ signed.format('transactions.discount_amount') }} as discount_amount,
        {{ signed.format('transactions.tax_amount') }} as tax_amount,
        rates.exchange_rate
    from transactions
    left join customers
        on transactions.customer_id = customers.customer_id
    left join organizations
        on transactions.organization_id = organizations.organization_id
    left join rates
        on transactions.transaction_id = rates.transaction_id
    where
        not transactions.is_deleted
        and not coalesce(customers.is_deleted, false)
)

select * from final
