-- Net revenue of a transaction with item lines equals the sum of its counted signed lines,
-- in the original currency and in the reporting currency (rounding tolerance 0.01 per line).
with transactions as (
    select * from {{ ref('fct_transactions') }}
),

items as (
    select * from {{ ref('fct_transaction_items') }}
),

item_sums as (
    select
        transaction_id,
        count(*) as line_count,
        sum(case when is_counted then sale_revenue else 0 end) as counted_revenue,
        sum(case when is_counted then sale_revenue_reporting else 0 end) as counted_revenue_reporting
    from items
    group by transaction_id
),

final as (
    select
        transactions.transaction_id,
        transactions.net_revenue,
        item_sums.counted_revenue,
        transactions.net_revenue_reporting,
        item_sums.counted_revenue_reporting
    from transactions
    inner join item_sums
        on transactions.transaction_id = item_sums.transaction_id
    where
        transactions.net_revenue <> item_sums.counted_revenue
        or abs(transactions.net_revenue_reporting - item_sums.counted_revenue_reporting)
        > 0.01 * item_sums.line_count
)

select * from final
