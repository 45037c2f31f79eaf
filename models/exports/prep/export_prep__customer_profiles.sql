-- Customer snapshot for the owned channels (Braze, Klaviyo): one row per live customer of
-- dim_customers with contact fields, consent and the event attributes as of var as_of. Only
-- transactions and events before as_of count, so a re-run of the same as_of gives the same
-- snapshot. Money is in the reporting currency (var reporting_currency). Email / SMS consent
-- is the subscription state of dim_customer_subscriptions (latest signal wins: Preferences
-- DNE / DNC changes, subscribe / unsubscribe events, hard bounces).
with customers as (
    select * from {{ ref('dim_customers') }}
),

identifiers as (
    select * from {{ ref('export_prep__customer_identifiers') }}
),

subscriptions as (
    select * from {{ ref('dim_customer_subscriptions') }}
),

email_owners as (
    select * from {{ ref('int_customers__email_resolved') }}
),

transactions as (
    select * from {{ ref('fct_transactions') }}
    where transaction_at < {{ export_as_of_timestamp() }}
),

events as (
    select * from {{ ref('fct_events') }}
    where
        event_at < {{ export_as_of_timestamp() }}
        and customer_id is not null
),

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

order_stats as (
    select
        customer_id,
        max(case when not is_return then transaction_at end) as last_order_at,
        sum(net_revenue_reporting) as lifetime_revenue,
        sum(
            case when not is_return and {{ export_in_window('transaction_at', 30) }} then 1 else 0 end
        ) as orders_last_30d,
        sum(
            case when {{ export_in_window('transaction_at', 30) }} then net_revenue_reporting else 0 end
        ) as revenue_last_30d
    from transactions
    group by customer_id
),

ranked_events as (
    select
        customer_id,
        event_type,
        row_number() over (
            partition by customer_id order by event_at desc, event_id desc
        ) as event_rank
    from events
),

ranked_engagements as (
    select
        events.customer_id,
        coalesce(campaigns.campaign_name, events.campaign_id) as campaign_name,
        row_number() over (
            partition by events.customer_id order by events.event_at desc, events.event_id desc
        ) as engagement_rank
    from events
    left join campaigns
        on events.campaign_id = campaigns.campaign_id
    where
        events.campaign_id is not null
        and events.activity in ('opened', 'clicked')
),

final as (
    select
        customers.customer_id,
        identifiers.email_normalized,
        identifiers.phone_e164,
        nullif(trim(customers.first_name), '') as first_name,
        nullif(trim(customers.last_name), '') as last_name,
        nullif(trim(customers.address_1), '') as address_1,
        nullif(trim(customers.city), '') as city,
        nullif(trim(customers.state), '') as state,
        nullif(trim(customers.zip_code), '') as zip_code,
        upper(identifiers.country_normalized) as country_code,
        email_subscriptions.is_subscribed as is_email_allowed,
        sms_subscriptions.is_subscribed as is_phone_allowed,
        email_subscriptions.subscription_state as email_subscription_state,
        email_subscriptions.state_source as email_state_source,
        sms_subscriptions.subscription_state as sms_subscription_state,
        sms_subscriptions.state_source as sms_state_source,
        coalesce(email_owners.customer_id = customers.customer_id, false) as is_email_owner,
        order_stats.last_order_at,
        {{ export_money('coalesce(order_stats.lifetime_revenue, 0)') }} as lifetime_revenue,
        coalesce(order_stats.orders_last_30d, 0) as orders_last_30d,
        {{ export_money('coalesce(order_stats.revenue_last_30d, 0)') }} as revenue_last_30d,
        {{ dbt.datediff(
            'order_stats.last_order_at', export_as_of_timestamp(), 'day'
        ) }} as days_since_last_order,
        ranked_engagements.campaign_name as last_campaign_engaged,
        ranked_events.event_type as last_event_type
    from customers
    inner join subscriptions as email_subscriptions
        on
            customers.customer_id = email_subscriptions.customer_id
            and email_subscriptions.channel = 'email'
    inner join subscriptions as sms_subscriptions
        on
            customers.customer_id = sms_subscriptions.customer_id
            and sms_subscriptions.channel = 'sms'
    left join identifiers
        on customers.customer_id = identifiers.customer_id
    left join email_owners
        on identifiers.email_normalized = email_owners.email_normalized
    left join order_stats
        on customers.customer_id = order_stats.customer_id
    left join ranked_events
        on
            customers.customer_id = ranked_events.customer_id
            and ranked_events.event_rank = 1
    left join ranked_engagements
        on
            customers.customer_id = ranked_engagements.customer_id
            and ranked_engagements.engagement_rank = 1
)

select * from final
