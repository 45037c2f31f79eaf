-- Current subscription state: one row per live customer and channel (email, sms). The state
-- is that of the customer's latest signal (int_customers__subscription_signals); a customer
-- without any signal is `subscribed` by default (state_source `default`).
with customers as (
    -- the live customers (a deleted customer has no subscription state)
    select * from {{ ref('dim_customers') }}
),

signals as (
    select * from {{ ref('int_customers__subscription_signals') }}
),

latest as (
    select * from signals
    where is_latest
),

changes as (
    select
        customer_id,
        channel,
        max(signal_at) as last_changed_at,
        count(*) as change_count
    from signals
    where signal_state <> previous_state
    group by customer_id, channel
),

customer_channels as (
    select
        customer_id,
        'email' as channel
    from customers
    union all
    select
        customer_id,
        'sms' as channel
    from customers
),

final as (
    select
        customer_channels.customer_id,
        customer_channels.channel,
        coalesce(latest.signal_state, 'subscribed') as subscription_state,
        coalesce(latest.signal_state, 'subscribed') <> 'unsubscribed' as is_subscribed,
        coalesce(latest.signal_source, 'default') as state_source,
        latest.signal_type as state_signal_type,
        latest.signal_at as state_signal_at,
        changes.last_changed_at,
        cast(coalesce(changes.change_count, 0) as {{ dbt.type_bigint() }}) as change_count
    from customer_channels
    left join latest
        on
            customer_channels.customer_id = latest.customer_id
            and customer_channels.channel = latest.channel
    left join changes
        on
            customer_channels.customer_id = changes.customer_id
            and customer_channels.channel = changes.channel
)

select * from final
