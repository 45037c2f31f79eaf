-- Campaign performance by day: one row per campaign x local date (var reporting_timezone)
-- with any activity, cost or attributed conversion. Engagement on the event's local date,
-- attributed conversions on the purchase's local date, a message's cost on the local date of
-- its send time (or, without one, of its first send event).
with campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

messages as (
    select * from {{ ref('dim_messages') }}
),

engagement_events as (
    select * from {{ ref('int_events__engagement') }}
),

attributions as (
    select * from {{ ref('fct_attributed_conversions') }}
),

campaign_events as (
    select
        *,
        event_local_date as report_date
    from engagement_events
    where not is_holdout_message
),

engagement as (
    select
        campaign_id,
        report_date,
        {{ engagement_aggregates() }}
    from campaign_events
    group by campaign_id, report_date
),

first_sends as (
    select
        message_id,
        min(report_date) as first_send_date
    from campaign_events
    where activity = 'sent'
    group by message_id
),

cost_dates as (
    select
        messages.campaign_id,
        messages.cost,
        coalesce({{ utc_to_local_date('messages.send_at') }}, first_sends.first_send_date) as report_date
    from messages
    left join first_sends
        on messages.message_id = first_sends.message_id
),

daily_costs as (
    select
        campaign_id,
        report_date,
        cast(sum(cost) as decimal(18, 4)) as cost
    from cost_dates
    where report_date is not null
    group by campaign_id, report_date
),

attributed as (
    select
        campaign_id,
        transaction_local_date as report_date,
        {{ attributed_aggregates() }}
    from attributions
    group by campaign_id, transaction_local_date
),

campaign_days as (
    select
        campaign_id,
        report_date
    from engagement
    union
    select
        campaign_id,
        report_date
    from daily_costs
    union
    select
        campaign_id,
        report_date
    from attributed
),

joined as (
    select
        campaign_days.campaign_id,
        campaigns.campaign_name,
        campaign_days.report_date,
        {{ engagement_columns('engagement') }},
        coalesce(daily_costs.cost, 0) as cost,
        {{ attributed_columns('attributed') }}
    from campaign_days
    inner join campaigns
        on campaign_days.campaign_id = campaigns.campaign_id
    left join engagement
        on
            campaign_days.campaign_id = engagement.campaign_id
            and campaign_days.report_date = engagement.report_date
    left join daily_costs
        on
            campaign_days.campaign_id = daily_costs.campaign_id
            and campaign_days.report_date = daily_costs.report_date
    left join attributed
        on
            campaign_days.campaign_id = attributed.campaign_id
            and campaign_days.report_date = attributed.report_date
),

final as (
    select
        *,
        {{ engagement_rates() }},
        {{ cost_efficiency('cost') }}
    from joined
)

select * from final
