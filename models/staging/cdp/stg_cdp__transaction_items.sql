-- Transaction items: one row per transaction_item_id, accepted raw rows merged in delivery order.
-- Merge rule (docs/feed-contract.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key): macro merge_in_delivery_order.
with accepted as (
    {{ accepted_rows('transactionitem', {
        'transactionitem': ref('base_cdp__transaction_items'),
        'transaction': ref('base_cdp__transactions'),
    }) }}
),

merged as (
    {{ merge_in_delivery_order('accepted', 'transaction_item_id', [
            'transaction_id',
            'product_id',
            'product_name',
            'product_category',
            'quantity',
            'sale_revenue',
            'item_type'
        ]) }}
),

final as (
    select * from merged
)

select * from final
