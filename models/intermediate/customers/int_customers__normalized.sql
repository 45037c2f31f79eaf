-- Customers with their matching keys: one row per customer_id of staging, soft-deleted ones
-- included (flagged), so that events of erased customers can be recognized and dropped.
with customers as (
    select * from {{ ref('stg_cdp__customers') }}
),

final as (
    select
        customer_id,
        email,
        {{ normalize_email('email') }} as email_normalized,
        coalesce(modified_at, created_at) as last_changed_at,
        is_deleted
    from customers
)

select * from final
