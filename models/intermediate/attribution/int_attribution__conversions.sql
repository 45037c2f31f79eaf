-- Conversions: one row per purchase (returns excluded) of a resolved customer, with the
-- revenue that attribution distributes (net revenue in the reporting currency).
with transactions as (
    select * from {{ ref('int_transactions__netted') }}
),

final as (
    select
        transaction_id,
        customer_id,
        transaction_at,
        cast(transaction_at as date) as transaction_utc_date,
        transaction_local_date,
        net_revenue_reporting as conversion_revenue
    from transactions
    where
        not is_return
        and customer_id is not null
)

select * from final
