-- Messages: one row per message_id, accepted raw rows merged in delivery order.
-- Merge rule (docs/feed-contract.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key): macro merge_in_delivery_order.
with accepted as (
    {{ accepted_rows('message', {
        'message': ref('base_cdp__messages'),
        'dispatch': ref('base_cdp__dispatches'),
        'campaign': ref('base_cdp__campaigns'),
    }) }}
),

merged as (
    {{ merge_in_delivery_order('accepted', 'message_id', [
            'dispatch_id',
            'message_name',
            'subject',
            'content',
            'send_at',
            'message_from',
            'links',
            'variant',
            'cost',
            'attribution_start_date',
            'attribution_window_days',
            'created_at'
        ]) }}
),

final as (
    select
        *,
        coalesce(lower(variant) = 'holdout', false) as is_holdout
    from merged
)

select * from final
