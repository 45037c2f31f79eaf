-- Product lines of purchase conversions as the platforms take them: one row per transaction
-- item of a purchase transaction that counts as sold - Demand lines (or lines without a
-- Type) with a positive quantity. Canceled and returned lines, corrections (zero or negative
-- quantities) and lines of returns are left out (docs/export-contract.md, section 2).
with items as (
    select * from {{ ref('fct_transaction_items') }}
),

transactions as (
    select * from {{ ref('fct_transactions') }}
),

final as (
    select
        items.transaction_item_id,
        items.transaction_id,
        items.product_id,
        cast(items.quantity as {{ dbt.type_bigint() }}) as quantity,
        {{ export_money('items.sale_revenue / items.quantity') }} as unit_price,
        {{ export_money('items.sale_revenue') }} as line_value
    from items
    inner join transactions
        on items.transaction_id = transactions.transaction_id
    where
        not transactions.is_return
        and items.is_counted
        and coalesce(items.item_type, 'demand') = 'demand'
        and items.quantity > 0
)

select * from final
