-- One row per raw transaction line: renamed, typed, with the reason it is rejected (or NULL).
-- The orphan check (transaction unknown) is made downstream, against accepted transactions.
with source as (
    select * from {{ source('landing', 'transactionitem') }}
),

renamed as (
    select
        {{ landing_lineage_columns() }},
        {{ clean_text('SourceTransactionItemNumber') }} as transaction_item_id,
        {{ clean_text('SourceTransactionNumber') }} as transaction_id,
        {{ clean_text('SourceProductNumber') }} as product_id,
        {{ clean_text('ProductName') }} as product_name,
        {{ clean_text('ProductCategory') }} as product_category,
        {{ clean_text('Quantity') }} as quantity_text,
        {{ clean_text('SaleRevenue') }} as sale_revenue_text,
        lower({{ clean_text('Type') }}) as item_type,
        {{ clean_text('DeleteFlag') }} as delete_flag_text
    from source
),

{{ line_copy_numbers('renamed') }}

typed as (
    select
        *,
        {{ safe_to_decimal('quantity_text') }} as quantity,
        {{ safe_to_decimal('sale_revenue_text') }} as sale_revenue,
        {{ parse_boolean('delete_flag_text') }} as is_deleted
    from numbered
),

final as (
    select
        *,
        {{ reject_reason_and_column([
            ["transaction_item_id is null", 'missing_required', 'SourceTransactionItemNumber'],
            ["transaction_id is null", 'missing_required', 'SourceTransactionNumber'],
            ["product_id is null", 'missing_required', 'SourceProductNumber'],
            ["quantity_text is not null and quantity is null", 'invalid_number', 'Quantity'],
            ["sale_revenue_text is not null and sale_revenue is null", 'invalid_number', 'SaleRevenue'],
            ["delete_flag_text is not null and is_deleted is null", 'invalid_boolean', 'DeleteFlag'],
            ["item_type is not null and item_type not in ('demand', 'canceled', 'returned')", 'invalid_value', 'Type']
        ]) }}
    from typed
)

select * from final
