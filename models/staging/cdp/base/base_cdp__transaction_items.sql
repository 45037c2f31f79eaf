-- One row per raw transaction line: renamed, typed, with the reason it is rejected (or NULL).
-- The orphan check (transaction unknown) is made downstream, against accepted transactions.
with source as (
    select * from {{ source('landing', 'transactionitem') }}{{ landing_increment_filter('transactionitem') }}
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
        case
            {{ structural_reject_checks() }}
            when transaction_item_id is null or transaction_id is null or product_id is null then 'missing_required'
            when
                (quantity_text is not null and quantity is null)
                or (sale_revenue_text is not null and sale_revenue is null)
                then 'invalid_number'
            when delete_flag_text is not null and is_deleted is null then 'invalid_boolean'
            when item_type is not null and item_type not in ('demand', 'canceled', 'returned') then 'invalid_value'
        end as reject_reason
    from typed
)

select * from final
