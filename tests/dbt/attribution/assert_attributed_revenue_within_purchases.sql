-- Per attribution model, attributed revenue never exceeds purchase revenue and attributed
-- orders (sum of credits) never exceed the number of purchases (fct_transactions, returns
-- excluded).
with attributions as (
    select * from {{ ref('fct_attributed_conversions') }}
),

transactions as (
    select * from {{ ref('fct_transactions') }}
),

purchases as (
    select
        count(*) as purchase_count,
        coalesce(sum(net_revenue_reporting), 0) as purchase_revenue
    from transactions
    where not is_return
),

per_model as (
    select
        attribution_model,
        sum(credit) as attributed_orders,
        sum(attributed_revenue) as attributed_revenue
    from attributions
    group by attribution_model
)

select
    per_model.*,
    purchases.purchase_count,
    purchases.purchase_revenue
from per_model
cross join purchases
where
    per_model.attributed_orders > purchases.purchase_count
    or per_model.attributed_revenue > purchases.purchase_revenue
