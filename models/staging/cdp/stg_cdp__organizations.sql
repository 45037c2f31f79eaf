-- Organizations: one row per organization_id, accepted raw rows merged in delivery order.
-- Merge rule (docs/feed-contract.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key): macro merge_in_delivery_order.
with accepted as (
    {{ accepted_rows('organization', {'organization': ref('base_cdp__organizations')}) }}
),

merged as (
    {{ merge_in_delivery_order('accepted', 'organization_id', [
            'organization_name',
            'organization_type',
            'country_code',
            'state',
            'city',
            'time_zone'
        ]) }}
),

final as (
    select * from merged
)

select * from final
