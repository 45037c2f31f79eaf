-- Deleted customers for the owned channels' deletion requests: one row per soft-deleted
-- customer_id (DeleteFlag) of staging, with the normalized email Klaviyo's data-privacy
-- deletion is addressed by, and whether a live customer holds the same email (then no
-- deletion by email: it would delete the live customer's Klaviyo profile).
with customers as (
    select * from {{ ref('int_customers__normalized') }}
),

email_owners as (
    select * from {{ ref('int_customers__email_resolved') }}
),

final as (
    select
        customers.customer_id,
        customers.email_normalized,
        coalesce(email_owners.customer_id is not null, false) as is_email_of_live_customer
    from customers
    left join email_owners
        on customers.email_normalized = email_owners.email_normalized
    where customers.is_deleted
)

select * from final
