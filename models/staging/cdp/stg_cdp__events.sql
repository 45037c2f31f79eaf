-- Events: one row per event_id, accepted raw rows merged in delivery order.
-- Merge rule (docs/feed-contract.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key): macro merge_in_delivery_order.
with accepted as (
    {{ accepted_rows('event', {'event': ref('base_cdp__events')}) }}
),

merged as (
    {{ merge_in_delivery_order('accepted', 'event_id', [
            'event_type',
            'event_subtype',
            'event_at',
            'customer_id',
            'email',
            'message_id',
            'cookie',
            'session_id',
            'url',
            'product_id',
            'transaction_id',
            'event_value'
        ], soft_delete=false) }}
),

final as (
    select * from merged
)

select * from final
