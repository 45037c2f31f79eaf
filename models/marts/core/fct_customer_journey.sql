-- Customer timeline: events and transactions of each resolved customer interleaved in time.
-- entry_sequence: 1..n per customer by entry_at; ties: events before transactions, then
-- entry_type, then entry_id (deterministic).
with events as (
    select * from {{ ref('fct_events') }}
    where customer_id is not null
),

transactions as (
    select * from {{ ref('fct_transactions') }}
),

hierarchy as (
    select * from {{ ref('dim_campaign_hierarchy') }}
),

event_entries as (
    select
        {{ dbt.concat(["'event:'", 'events.event_id']) }} as entry_id,
        events.customer_id,
        events.event_at as entry_at,
        'event' as entry_kind,
        1 as entry_kind_order,
        events.event_type as entry_type,
        events.channel,
        events.event_id,
        events.transaction_id,
        hierarchy.campaign_id,
        hierarchy.campaign_name,
        hierarchy.dispatch_id,
        hierarchy.dispatch_name,
        hierarchy.message_id,
        hierarchy.message_name,
        cast(null as decimal(18, 4)) as amount,
        cast(null as {{ dbt.type_string() }}) as currency_code,
        events.url,
        events.product_id
    from events
    left join hierarchy
        on events.message_id = hierarchy.message_id
),

transaction_entries as (
    select
        {{ dbt.concat(["'transaction:'", 'transaction_id']) }} as entry_id,
        customer_id,
        transaction_at as entry_at,
        'transaction' as entry_kind,
        2 as entry_kind_order,
        transaction_type as entry_type,
        organization_type as channel,
        cast(null as {{ dbt.type_string() }}) as event_id,
        transaction_id,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_string() }}) as campaign_name,
        cast(null as {{ dbt.type_string() }}) as dispatch_id,
        cast(null as {{ dbt.type_string() }}) as dispatch_name,
        cast(null as {{ dbt.type_string() }}) as message_id,
        cast(null as {{ dbt.type_string() }}) as message_name,
        net_revenue as amount,
        currency_code,
        cast(null as {{ dbt.type_string() }}) as url,
        cast(null as {{ dbt.type_string() }}) as product_id
    from transactions
),

entries as (
    select * from event_entries
    union all
    select * from transaction_entries
),

final as (
    select
        entry_id,
        customer_id,
        entry_at,
        cast(row_number() over (
            partition by customer_id
            order by entry_at, entry_kind_order, entry_type, entry_id
        ) as {{ dbt.type_bigint() }}) as entry_sequence,
        entry_kind,
        entry_type,
        channel,
        event_id,
        transaction_id,
        campaign_id,
        campaign_name,
        dispatch_id,
        dispatch_name,
        message_id,
        message_name,
        amount,
        currency_code,
        url,
        product_id
    from entries
)

select * from final
