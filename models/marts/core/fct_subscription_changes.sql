-- Subscription changes: one row per live customer, channel and signal that changed the
-- subscription state (int_customers__subscription_signals: the latest signal wins), with its
-- source. A signal that repeats the state (a second unsubscribe) is not a change.
with signals as (
    select * from {{ ref('int_customers__subscription_signals') }}
),

customers as (
    -- the live customers (a deleted customer has no subscription state)
    select * from {{ ref('dim_customers') }}
),

final as (
    select
        signals.customer_id,
        signals.channel,
        signals.signal_sequence,
        signals.signal_at as changed_at,
        signals.previous_state,
        signals.signal_state as subscription_state,
        signals.signal_source as change_source,
        signals.signal_type as change_type,
        signals.signal_key as source_key
    from signals
    inner join customers
        on signals.customer_id = customers.customer_id
    where signals.signal_state <> signals.previous_state
)

select * from final
