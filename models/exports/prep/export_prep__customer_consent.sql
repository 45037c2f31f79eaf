-- Consent per customer for the exports: one row per customer_id of staging, soft-deleted
-- customers included. Read from staging on purpose: deleted customers are absent from
-- dim_customers, and the exports must exclude them because they are deleted, not merely
-- because a join found nothing.
with customers as (
    select * from {{ ref('stg_cdp__customers') }}
),

final as (
    select
        customer_id,
        is_deleted,
        do_not_sell,
        do_not_email,
        not is_deleted and not do_not_sell as is_paid_media_allowed,
        not is_deleted and not do_not_email as is_email_allowed
    from customers
)

select * from final
