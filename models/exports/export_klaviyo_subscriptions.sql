-- Klaviyo email consent (REST bulk subscription / suppression jobs, JSON lines): one row per
-- live customer with a valid email it owns (int_customers__email_resolved) and at least one
-- email subscription signal (dim_customer_subscriptions), keyed by the customer id. A DNE,
-- unsubscribed or hard-bounced customer is sent as UNSUBSCRIBED (profile-subscription-bulk-
-- delete-jobs: unsubscribe and suppress), not dropped; a re-subscription (a later subscribe
-- event, DNE back to N) as SUBSCRIBED (profile-subscription-bulk-create-jobs). Customers
-- without any signal are not sent (nobody is subscribed in Klaviyo without a consent signal).
-- attributes_hash covers email and consent: the ledger sends a customer again when either
-- changes (a customer is sent once per change of state).
with profiles as (
    select * from {{ ref('export_prep__customer_profiles') }}
    where
        email_normalized is not null
        and is_email_owner
        and email_state_source <> 'default'
),

shaped as (
    select
        email_normalized as email,
        case when email_subscription_state = 'unsubscribed' then 'UNSUBSCRIBED' else 'SUBSCRIBED' end as consent,
        customer_id as external_id
    from profiles
),

final as (
    select
        email,
        {{ export_json_object([
            ['email', "concat('{\"marketing\":', " ~ export_json_object([['consent', 'consent', 'text']]) ~ ", '}')", 'json'],
        ]) }} as subscriptions,
        consent,
        external_id,
        {{ surrogate_key(['email', 'consent']) }} as attributes_hash,
        external_id as export_key
    from shaped
)

select * from final
