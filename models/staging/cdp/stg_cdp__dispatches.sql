-- Dispatches: one row per dispatch_id, accepted raw rows merged in delivery order.
-- Merge rule (feeds.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key). Soft-deleted records stay here, flagged.
with accepted as (
    {{ accepted_rows('dispatch') }}
),

merged as (
    select
        dispatch_id,
        {{ latest_non_null('campaign_id', 'load_order') }} as campaign_id,
        {{ latest_non_null('dispatch_name', 'load_order') }} as dispatch_name,
        {{ latest_non_null('dispatch_type', 'load_order') }} as dispatch_type,
        {{ latest_non_null('dispatch_subtype', 'load_order') }} as dispatch_subtype,
        {{ latest_non_null('created_at', 'load_order') }} as created_at,
        {{ latest_non_null('attribution_start_date', 'load_order') }} as attribution_start_date,
        {{ latest_non_null('attribution_window_days', 'load_order') }} as attribution_window_days,
        {{ merge_json_objects('custom_attributes', 'load_order') }} as custom_attributes,
        {{ latest_non_null('source_system', 'load_order') }} as source_system,
        {{ latest_non_null('source_file', 'load_order') }} as source_file,
        coalesce({{ latest_non_null('is_deleted', 'load_order') }}, false) as is_deleted,
        max(file_loaded_at) as file_loaded_at,
        min(file_loaded_at) as first_loaded_at,
        count(*) as source_row_count
    from accepted
    group by dispatch_id
),

final as (
    select * from merged
)

select * from final
