-- Transactions: one row per transaction_id, accepted raw rows merged in delivery order.
-- Merge rule (feeds.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key). Soft-deleted records stay here, flagged.
with accepted as (
    {{ accepted_rows('transaction') }}
),

merged as (
    select
        transaction_id,
        {{ latest_non_null('customer_id', 'load_order') }} as customer_id,
        {{ latest_non_null('organization_id', 'load_order') }} as organization_id,
        {{ latest_non_null('transaction_at', 'load_order') }} as transaction_at,
        {{ latest_non_null('transaction_type', 'load_order') }} as transaction_type,
        {{ latest_non_null('total_amount', 'load_order') }} as total_amount,
        {{ latest_non_null('currency_code', 'load_order') }} as currency_code,
        {{ latest_non_null('discount_amount', 'load_order') }} as discount_amount,
        {{ latest_non_null('tax_amount', 'load_order') }} as tax_amount,
        {{ merge_json_objects('custom_attributes', 'load_order') }} as custom_attributes,
        {{ latest_non_null('source_system', 'load_order') }} as source_system,
        {{ latest_non_null('source_file', 'load_order') }} as source_file,
        coalesce({{ latest_non_null('is_deleted', 'load_order') }}, false) as is_deleted,
        max(file_loaded_at) as file_loaded_at,
        min(file_loaded_at) as first_loaded_at,
        count(*) as source_row_count
    from accepted
    group by transaction_id
),

final as (
    select
        transaction_id,
        customer_id,
        organization_id,
        transaction_at,
        coalesce(transaction_type, 'purchase') as transaction_type,
        total_amount,
        coalesce(currency_code, '{{ var("default_currency") }}') as currency_code,
        discount_amount,
        tax_amount,
        currency_code is null as is_default_currency,
        custom_attributes,
        source_system,
        source_file,
        is_deleted,
        file_loaded_at,
        first_loaded_at,
        source_row_count
    from merged
)

select * from final
