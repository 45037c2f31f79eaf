-- Paid-media consent per customer: one row per customer_id of staging, soft-deleted
-- customers included. Read from staging on purpose: deleted customers are absent from
-- dim_customers, and the exports must exclude them because they are deleted, not merely
-- because a join found nothing. Email and SMS permission is not here: it is the subscription
-- state of dim_customer_subscriptions (a DNE=Y is one signal there; a later subscribe event
-- overrides it).
with customers as (
    select * from {{ ref('stg_cdp__customers') }}
),

final as (
    select
        customer_id,
        is_deleted,
        do_not_sell,
        not is_deleted and not do_not_sell as is_paid_media_allowed
    from customers
)

select * from final
