-- Transactions: one row per transaction kept in the marts (int_transactions__enriched).
-- net_revenue = sum of the counted (is_counted) signed lines of int_transaction_items__signed, in
-- the original currency; a transaction without any line falls back to its total_amount.
with transactions as (
    select * from {{ ref('int_transactions__enriched') }}
),

items as (
    select * from {{ ref('int_transaction_items__signed') }}
),

item_totals as (
    select
        transaction_id,
        sum(case when is_counted then sale_revenue else 0 end) as net_revenue,
        sum(case when is_counted then quantity else 0 end) as net_quantity
    from items
    group by transaction_id
),

netted as (
    select
        transactions.*,
        cast(coalesce(item_totals.net_revenue, transactions.total_amount) as decimal(18, 4)) as net_revenue,
        cast(item_totals.net_quantity as decimal(18, 4)) as net_quantity
    from transactions
    left join item_totals
        on transactions.transaction_id = item_totals.transaction_id
),

final as (
    select
        transaction_id,
        customer_id,
        organization_id,
        organization_type,
        is_store,
        organization_country_code,
        transaction_at,
        transaction_local_date,
        transaction_type,
        is_return,
        currency_code,
        total_amount,
        discount_amount,
        tax_amount,
        net_revenue,
        net_quantity,
        exchange_rate,
        cast(net_revenue * exchange_rate as decimal(18, 4)) as net_revenue_reporting,
        cast(total_amount * exchange_rate as decimal(18, 4)) as total_amount_reporting
    from netted
)

select * from final
