-- Campaigns: one row per campaign_id, accepted raw rows merged in delivery order.
-- Merge rule (docs/feed-contract.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key): macro merge_in_delivery_order.
with accepted as (
    {{ accepted_rows('campaign', {'campaign': ref('base_cdp__campaigns')}) }}
),

merged as (
    {{ merge_in_delivery_order('accepted', 'campaign_id', [
            'campaign_name',
            'campaign_description',
            'campaign_type',
            'start_date',
            'end_date',
            'created_at'
        ]) }}
),

final as (
    select * from merged
)

select * from final
