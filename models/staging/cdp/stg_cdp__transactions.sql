-- Transactions: one row per transaction_id, accepted raw rows merged in delivery order.
-- Merge rule (docs/feed-contract.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key): macro merge_in_delivery_order.
with accepted as (
    {{ accepted_rows('transaction', {'transaction': ref('base_cdp__transactions')}) }}
),

merged as (
    {{ merge_in_delivery_order('accepted', 'transaction_id', [
            'customer_id',
            'organization_id',
            'transaction_at',
            'transaction_type',
            'total_amount',
            'currency_code',
            'discount_amount',
            'tax_amount'
        ]) }}
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
