-- Dispatches: one row per dispatch_id, accepted raw rows merged in delivery order.
-- Merge rule (docs/feed-contract.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key): macro merge_in_delivery_order.
with accepted as (
    {{ accepted_rows('dispatch', {
        'dispatch': ref('base_cdp__dispatches'),
        'campaign': ref('base_cdp__campaigns'),
    }) }}
),

merged as (
    {{ merge_in_delivery_order('accepted', 'dispatch_id', [
            'campaign_id',
            'dispatch_name',
            'dispatch_type',
            'dispatch_subtype',
            'created_at',
            'attribution_start_date',
            'attribution_window_days'
        ]) }}
),

final as (
    select * from merged
)

select * from final
