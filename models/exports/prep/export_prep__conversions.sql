-- Conversions the paid-media exports may send, before windows, consent and identifiers: one
-- row per conversion. Purchase transactions of the organization types in var export_channels
-- (one conversion per transaction; its lines in export_prep__conversion_items), plus events of
-- the types that seed ref_platform_event_map maps for some platform. Returns, deleted records
-- and purchases whose lines were all canceled / corrected away are left out.
{%- set channels = var('export_channels') -%}
{%- if channels is string -%}{%- set channels = channels.split(',') | map('trim') | list -%}{%- endif %}
with transactions as (
    select * from {{ ref('fct_transactions') }}
    where not is_return
),

organizations as (
    select * from {{ ref('dim_organizations') }}
),

countries as (
    select * from {{ ref('ref_countries') }}
),

transaction_lines as (
    select
        transaction_id,
        count(*) as line_count
    from {{ ref('fct_transaction_items') }}
    group by transaction_id
),

sold_lines as (
    select
        transaction_id,
        sum(line_value) as conversion_value,
        sum(quantity) as number_items
    from {{ ref('export_prep__conversion_items') }}
    group by transaction_id
),

mapped_event_types as (
    select distinct cdp_event_type
    from {{ ref('ref_platform_event_map') }}
    where cdp_event_type <> 'purchase'
),

events as (
    select * from {{ ref('fct_events') }}
    where event_type in (select mapped_event_types.cdp_event_type from mapped_event_types)
),

purchases as (
    select
        transactions.transaction_id as conversion_id,
        'purchase' as conversion_type,
        transactions.customer_id,
        transactions.organization_id,
        transactions.organization_type as conversion_channel,
        transactions.organization_country_code,
        countries.country_code_alpha3 as organization_country_alpha3,
        organizations.state as organization_state,
        organizations.city as organization_city,
        transactions.transaction_at as event_at,
        transactions.currency_code,
        coalesce(sold_lines.conversion_value, {{ export_money('transactions.total_amount') }}) as conversion_value,
        sold_lines.number_items
    from transactions
    left join sold_lines
        on transactions.transaction_id = sold_lines.transaction_id
    left join transaction_lines
        on transactions.transaction_id = transaction_lines.transaction_id
    left join organizations
        on transactions.organization_id = organizations.organization_id
    left join countries
        on upper(transactions.organization_country_code) = countries.country_code
    where
        transactions.organization_type in (
            {%- for c in channels %}{{ sql_string(c) }}{{ ', ' if not loop.last }}{% endfor -%}
        )
        and (transaction_lines.transaction_id is null or sold_lines.transaction_id is not null)
),

mapped_events as (
    select
        event_id as conversion_id,
        event_type as conversion_type,
        customer_id,
        cast(null as {{ dbt.type_string() }}) as organization_id,
        channel as conversion_channel,
        cast(null as {{ dbt.type_string() }}) as organization_country_code,
        cast(null as {{ dbt.type_string() }}) as organization_country_alpha3,
        cast(null as {{ dbt.type_string() }}) as organization_state,
        cast(null as {{ dbt.type_string() }}) as organization_city,
        event_at,
        case when event_value is not null then '{{ var("default_currency") }}' end as currency_code,
        {{ export_money('event_value') }} as conversion_value,
        cast(null as {{ dbt.type_bigint() }}) as number_items
    from events
),

final as (
    select * from purchases
    union all
    select * from mapped_events
)

select * from final
