-- Events: one row per event_id, except events of erased (deleted) customers.
-- Classified by seed ref_event_types (unknown types: other / custom / other); campaign keys
-- only when the message is a live message (int_messages__live).
with events as (
    select * from {{ ref('int_events__customer_resolved') }}
    where customer_resolution <> 'erased'
),

event_types as (
    select * from {{ ref('ref_event_types') }}
),

messages as (
    select * from {{ ref('int_messages__live') }}
),

final as (
    select
        events.event_id,
        events.event_type,
        events.event_subtype,
        coalesce(event_types.channel, 'other') as channel,
        coalesce(event_types.category, 'custom') as category,
        coalesce(event_types.activity, 'other') as activity,
        events.event_at,
        {{ utc_to_local_date('events.event_at') }} as event_local_date,
        events.customer_id,
        events.customer_resolution,
        messages.message_id,
        messages.dispatch_id,
        messages.campaign_id,
        coalesce(messages.is_holdout, false) as is_holdout,
        events.url,
        events.product_id,
        events.transaction_id,
        events.event_value,
        events.cookie,
        events.session_id,
        events.custom_attributes
    from events
    left join event_types
        on events.event_type = event_types.event_type
    left join messages
        on events.message_id = messages.message_id
)

select * from final
