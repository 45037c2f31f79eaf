-- Transaction lines: one row per live item of a transaction kept in the marts (int_transactions__enriched).
-- Netting rule (docs/decisions/marts.md): lines of a Return are negative (-abs) whatever sign
-- they arrived with; Purchase lines keep their sign. A Canceled line with a positive amount
-- (the canceled line itself) is not counted; a negative line is a correction and always counts.
with items as (
    select * from {{ ref('stg_cdp__transaction_items') }}
    where not is_deleted
),

transactions as (
    select * from {{ ref('int_transactions__enriched') }}
),

signed_items as (
    select
        items.transaction_item_id,
        items.transaction_id,
        transactions.customer_id,
        transactions.organization_id,
        transactions.transaction_at,
        items.product_id,
        items.product_name,
        items.product_category,
        items.item_type,
        not coalesce(items.item_type = 'canceled' and items.sale_revenue >= 0, false) as is_counted,
        case when transactions.is_return then -abs(items.quantity) else items.quantity end as quantity,
        case
            when transactions.is_return then -abs(items.sale_revenue) else items.sale_revenue
        end as sale_revenue,
        transactions.currency_code,
        transactions.exchange_rate
    from items
    inner join transactions
        on items.transaction_id = transactions.transaction_id
),

final as (
    select
        transaction_item_id,
        transaction_id,
        customer_id,
        organization_id,
        transaction_at,
        product_id,
        product_name,
        product_category,
        item_type,
        is_counted,
        quantity,
        sale_revenue,
        cast(sale_revenue / nullif(quantity, 0) as decimal(18, 4)) as unit_price,
        currency_code,
        cast(sale_revenue * exchange_rate as decimal(18, 4)) as sale_revenue_reporting
    from signed_items
)

select * from final
