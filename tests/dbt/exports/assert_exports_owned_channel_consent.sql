-- Owned channels: no deleted customer in Braze or Klaviyo profiles; the subscription state
-- (dim_customer_subscriptions) reaches them - Braze email_subscribe equals the email state
-- whenever the customer has a signal (DNE=Y: unsubscribed), an SMS-unsubscribed customer has
-- no phone in Braze without the SMS group id and no phone in Klaviyo, Klaviyo profiles carry
-- no email-unsubscribed customer and klaviyo_subscriptions says UNSUBSCRIBED for each of them
-- that owns a valid email; DNE=Y without a later opt-in is unsubscribed.
{%- set sms_group_id = var('export_braze_sms_subscription_group_id', '') | string | trim %}
with customers as (
    select * from {{ ref('stg_cdp__customers') }}
),

subscriptions as (
    select * from {{ ref('dim_customer_subscriptions') }}
),

email_states as (
    select * from subscriptions
    where channel = 'email'
),

sms_states as (
    select * from subscriptions
    where channel = 'sms'
),

braze as (
    select
        'braze' as platform,
        braze.external_id as customer_id,
        braze.email is not null as has_email,
        braze.phone is not null as has_phone,
        braze.email_subscribe
    from {{ ref('export_braze') }} as braze
),

klaviyo as (
    select
        'klaviyo' as platform,
        klaviyo.external_id as customer_id,
        true as has_email,
        klaviyo.phone_number is not null as has_phone,
        cast(null as {{ dbt.type_string() }}) as email_subscribe
    from {{ ref('export_klaviyo') }} as klaviyo
),

owned as (
    select * from braze
    union all
    select * from klaviyo
),

problems as (
    select
        owned.platform,
        owned.customer_id,
        'deleted, unknown or consent not carried' as problem
    from owned
    left join customers
        on owned.customer_id = customers.customer_id
    left join email_states
        on owned.customer_id = email_states.customer_id
    left join sms_states
        on owned.customer_id = sms_states.customer_id
    where
        customers.customer_id is null
        or customers.is_deleted
        or email_states.customer_id is null
        or (owned.platform = 'klaviyo' and email_states.subscription_state = 'unsubscribed')
        or (
            owned.platform = 'braze' and owned.has_email and email_states.state_source <> 'default'
            and coalesce(owned.email_subscribe, '-') <> email_states.subscription_state
        )
        or (
            owned.platform = 'braze' and owned.email_subscribe is not null and email_states.state_source = 'default'
        )
        or (
            sms_states.subscription_state = 'unsubscribed' and owned.has_phone
            {%- if sms_group_id %} and owned.platform = 'klaviyo'{% endif %}
        )
    union all
    -- DNE=Y is unsubscribed unless a later subscribe event opted in again
    select
        'dim_customer_subscriptions' as platform,
        customers.customer_id,
        'DNE=Y but not unsubscribed, and no later subscribe event' as problem
    from customers
    inner join email_states
        on customers.customer_id = email_states.customer_id
    where
        customers.do_not_email
        and email_states.subscription_state <> 'unsubscribed'
        and email_states.state_source <> 'event'
    union all
    select
        'klaviyo_subscriptions' as platform,
        profiles.customer_id,
        'unsubscribed customer not sent as UNSUBSCRIBED' as problem
    from {{ ref('export_prep__customer_profiles') }} as profiles
    left join {{ ref('export_klaviyo_subscriptions') }} as subscriptions
        on profiles.customer_id = subscriptions.external_id
    where
        profiles.email_subscription_state = 'unsubscribed'
        and profiles.email_normalized is not null
        and profiles.is_email_owner
        and coalesce(subscriptions.consent, '-') <> 'UNSUBSCRIBED'
)

select * from problems
