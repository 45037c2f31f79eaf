-- Klaviyo data-privacy deletion (REST data-privacy-deletion-jobs, JSON lines): one row per
-- deleted customer (DeleteFlag) with a valid email, keyed by the customer id; the request
-- carries one identifier, the email, as Klaviyo requires. An email that a live customer also
-- holds is not requested (Klaviyo would delete the live customer's profile). The ledger
-- sends a row once, and only for a customer it shows sent to Klaviyo (profiles or
-- subscriptions) on an earlier as_of.
with deletions as (
    select * from {{ ref('export_prep__customer_deletions') }}
    where
        email_normalized is not null
        and not is_email_of_live_customer
),

final as (
    select
        email_normalized as email,
        customer_id as cdp_customer_id,
        customer_id as export_key
    from deletions
)

select * from final
