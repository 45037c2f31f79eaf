-- Organizations: one row per organization_id, accepted raw rows merged in delivery order.
-- Merge rule (feeds.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key). Soft-deleted records stay here, flagged.
with accepted as (
    {{ accepted_rows('organization') }}
),

merged as (
    select
        organization_id,
        {{ latest_non_null('organization_name', 'load_order') }} as organization_name,
        {{ latest_non_null('organization_type', 'load_order') }} as organization_type,
        {{ latest_non_null('country_code', 'load_order') }} as country_code,
        {{ latest_non_null('state', 'load_order') }} as state,
        {{ latest_non_null('city', 'load_order') }} as city,
        {{ latest_non_null('time_zone', 'load_order') }} as time_zone,
        {{ merge_json_objects('custom_attributes', 'load_order') }} as custom_attributes,
        {{ latest_non_null('source_system', 'load_order') }} as source_system,
        {{ latest_non_null('source_file', 'load_order') }} as source_file,
        coalesce({{ latest_non_null('is_deleted', 'load_order') }}, false) as is_deleted,
        max(file_loaded_at) as file_loaded_at,
        min(file_loaded_at) as first_loaded_at,
        count(*) as source_row_count
    from accepted
    group by organization_id
),

final as (
    select * from merged
)

select * from final
