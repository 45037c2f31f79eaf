-- Messages: one row per message_id, accepted raw rows merged in delivery order.
-- Merge rule (feeds.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key). Soft-deleted records stay here, flagged.
with accepted as (
    {{ accepted_rows('message') }}
),

merged as (
    select
        message_id,
        {{ latest_non_null('dispatch_id', 'load_order') }} as dispatch_id,
        {{ latest_non_null('message_name', 'load_order') }} as message_name,
        {{ latest_non_null('subject', 'load_order') }} as subject,
        {{ latest_non_null('content', 'load_order') }} as content,
        {{ latest_non_null('send_at', 'load_order') }} as send_at,
        {{ latest_non_null('message_from', 'load_order') }} as message_from,
        {{ latest_non_null('links', 'load_order') }} as links,
        {{ latest_non_null('variant', 'load_order') }} as variant,
        {{ latest_non_null('cost', 'load_order') }} as cost,
        {{ latest_non_null('attribution_start_date', 'load_order') }} as attribution_start_date,
        {{ latest_non_null('attribution_window_days', 'load_order') }} as attribution_window_days,
        {{ latest_non_null('created_at', 'load_order') }} as created_at,
        {{ merge_json_objects('custom_attributes', 'load_order') }} as custom_attributes,
        {{ latest_non_null('source_system', 'load_order') }} as source_system,
        {{ latest_non_null('source_file', 'load_order') }} as source_file,
        coalesce({{ latest_non_null('is_deleted', 'load_order') }}, false) as is_deleted,
        max(file_loaded_at) as file_loaded_at,
        min(file_loaded_at) as first_loaded_at,
        count(*) as source_row_count
    from accepted
    group by message_id
),

final as (
    select
        *,
        coalesce(lower(variant) = 'holdout', false) as is_holdout
    from merged
)

select * from final
