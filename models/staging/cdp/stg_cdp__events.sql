-- Events: one row per event_id, accepted raw rows merged in delivery order.
-- Merge rule (feeds.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key). Soft-deleted records stay here, flagged.
with accepted as (
    {{ accepted_rows('event') }}
),

merged as (
    select
        event_id,
        {{ latest_non_null('event_type', 'load_order') }} as event_type,
        {{ latest_non_null('event_subtype', 'load_order') }} as event_subtype,
        {{ latest_non_null('event_at', 'load_order') }} as event_at,
        {{ latest_non_null('customer_id', 'load_order') }} as customer_id,
        {{ latest_non_null('email', 'load_order') }} as email,
        {{ latest_non_null('message_id', 'load_order') }} as message_id,
        {{ latest_non_null('cookie', 'load_order') }} as cookie,
        {{ latest_non_null('session_id', 'load_order') }} as session_id,
        {{ latest_non_null('url', 'load_order') }} as url,
        {{ latest_non_null('product_id', 'load_order') }} as product_id,
        {{ latest_non_null('transaction_id', 'load_order') }} as transaction_id,
        {{ latest_non_null('event_value', 'load_order') }} as event_value,
        {{ merge_json_objects('custom_attributes', 'load_order') }} as custom_attributes,
        {{ latest_non_null('source_system', 'load_order') }} as source_system,
        {{ latest_non_null('source_file', 'load_order') }} as source_file,
        max(file_loaded_at) as file_loaded_at,
        min(file_loaded_at) as first_loaded_at,
        count(*) as source_row_count
    from accepted
    group by event_id
),

final as (
    select * from merged
)

select * from final
