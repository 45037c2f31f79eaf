-- Braze user attributes (REST /users/track, JSON lines): one row per live customer, keyed by
-- external_id, with the contact fields, the subscription state and the event attributes as
-- of as_of. Consent travels in Braze's own fields (dim_customer_subscriptions, the latest
-- signal wins): email_subscribe opted_in / subscribed / unsubscribed, and the SMS state
-- through subscription_groups (group id var export_braze_sms_subscription_group_id). A
-- customer without any signal gets neither (Braze keeps its own state: sending `subscribed`
-- would undo an unsubscribe made in Braze). The email is sent whenever it is valid - Braze ties
-- the opt-out to the address. Without the SMS group id the phone of an SMS-unsubscribed
-- customer is sent as null (nothing else would stop a text). attributes_hash covers every
-- field but days_since_last_order, which moves every day: the delta sends a customer when
-- something else changed.
{%- set sms_group_id = var('export_braze_sms_subscription_group_id', '') | string | trim %}
with profiles as (
    select * from {{ ref('export_prep__customer_profiles') }}
),

shaped as (
    select
        customer_id as external_id,
        email_normalized as email,
        case
            when email_normalized is not null and email_state_source <> 'default' then email_subscription_state
        end as email_subscribe,
        {%- if sms_group_id %}
            phone_e164 as phone,
            case
                when phone_e164 is not null and sms_subscription_state = 'unsubscribed'
                    then concat('[', {{ export_json_object([
                        ['subscription_group_id', closedloop.sql_string(sms_group_id), 'text'],
                        ['subscription_state', "'unsubscribed'", 'text'],
                    ]) }}, ']')
                when phone_e164 is not null and sms_subscription_state = 'opted_in'
                    then concat('[', {{ export_json_object([
                        ['subscription_group_id', closedloop.sql_string(sms_group_id), 'text'],
                        ['subscription_state', "'subscribed'", 'text'],
                    ]) }}, ']')
            end as subscription_groups,
        {%- else %}
            case when is_phone_allowed then phone_e164 end as phone,
            cast(null as {{ dbt.type_string() }}) as subscription_groups,
        {%- endif %}
        first_name,
        last_name,
        city as home_city,
        country_code as country,
        {{ export_format_timestamp('last_order_at', 'iso_utc') }} as last_order_at,
        lifetime_revenue,
        orders_last_30d,
        revenue_last_30d,
        days_since_last_order,
        last_campaign_engaged,
        last_event_type
    from profiles
),

final as (
    select
        *,
        {{ surrogate_key([
            'external_id', 'email', 'email_subscribe', 'phone', 'subscription_groups', 'first_name',
            'last_name', 'home_city', 'country', 'last_order_at', 'lifetime_revenue', 'orders_last_30d',
            'revenue_last_30d', 'last_campaign_engaged', 'last_event_type']) }} as attributes_hash,
        external_id as export_key
    from shaped
)

select * from final
