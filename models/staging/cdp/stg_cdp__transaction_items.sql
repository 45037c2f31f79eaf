-- Transaction items: one row per transaction_item_id, accepted raw rows merged in delivery order.
-- Merge rule (feeds.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key). Soft-deleted records stay here, flagged.
with accepted as (
    {{ accepted_rows('transactionitem') }}
),

merged as (
    select
        transaction_item_id,
        {{ latest_non_null('transaction_id', 'load_order') }} as transaction_id,
        {{ latest_non_null('product_id', 'load_order') }} as product_id,
        {{ latest_non_null('product_name', 'load_order') }} as product_name,
        {{ latest_non_null('product_category', 'load_order') }} as product_category,
        {{ latest_non_null('quantity', 'load_order') }} as quantity,
        {{ latest_non_null('sale_revenue', 'load_order') }} as sale_revenue,
        {{ latest_non_null('item_type', 'load_order') }} as item_type,
        {{ merge_json_objects('custom_attributes', 'load_order') }} as custom_attributes,
        {{ latest_non_null('source_system', 'load_order') }} as source_system,
        {{ latest_non_null('source_file', 'load_order') }} as source_file,
        coalesce({{ latest_non_null('is_deleted', 'load_order') }}, false) as is_deleted,
        max(file_loaded_at) as file_loaded_at,
        min(file_loaded_at) as first_loaded_at,
        count(*) as source_row_count
    from accepted
    group by transaction_item_id
),

final as (
    select * from merged
)

select * from final
