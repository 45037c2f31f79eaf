-- Customers who clicked (any channel) a message of a campaign whose name contains a text
-- (case-insensitive) in the 30 local days before as_of.
-- Vars: segment_campaign_name_contains (default 'sale'), as_of (default today, UTC).
{%- set as_of_date = "cast('" ~ as_of() ~ "' as date)" %}
with events as (
    select * from {{ ref('fct_events') }}
),

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

clicks as (
    select
        events.customer_id,
        count(*) as click_count,
        min(campaigns.campaign_name) as campaign_name,
        max(events.event_at) as last_clicked_at
    from events
    inner join campaigns
        on events.campaign_id = campaigns.campaign_id
    where
        events.activity = 'clicked'
        and events.customer_id is not null
        and lower(campaigns.campaign_name)
        like lower('%{{ var("segment_campaign_name_contains", "sale") }}%')
        and events.event_local_date >= {{ dbt.dateadd('day', -30, as_of_date) }}
        and events.event_local_date < {{ as_of_date }}
    group by events.customer_id
),

final as (
    select
        customers.customer_id,
        customers.email,
        customers.first_name,
        customers.last_name,
        clicks.campaign_name,
        clicks.click_count,
        clicks.last_clicked_at
    from clicks
    inner join customers
        on clicks.customer_id = customers.customer_id
)

select * from final
order by customer_id
