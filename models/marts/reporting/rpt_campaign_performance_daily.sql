-- Campaign performance by day: one row per campaign x local date (var reporting_timezone)
-- with any activity, cost or attributed conversion. Engagement on the event's local date,
-- attributed conversions on the purchase's local date, a message's cost on the local date of
-- its send time (or, without one, of its first send event). Only days before as_of: nothing
-- scheduled on or after as_of is counted (macros/reporting/report_period.sql).
with campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

messages as (
    select * from {{ ref('dim_messages') }}
),

engagement_events as (
    select * from {{ ref('int_events__engagement') }}
),

period_events as (
    -- only what happened before as_of (macros/reporting/report_period.sql)
    select * from engagement_events
    where event_local_date < {{ report_end_date() }}
),

attributions as (
    select * from {{ ref('fct_attributed_conversions') }}
    where transaction_local_date < {{ report_end_date() }}
),

message_costs_reported as (
    {{ reported_message_costs('messages', 'engagement_events') | indent(4) }}
),

campaign_events as (
    select
        *,
        event_local_date as report_date
    from period_events
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

daily_costs as (
    select
        campaign_id,
        cost_date as report_date,
        cast(sum(reported_cost) as decimal(18, 4)) as cost
    from message_costs_reported
    where cost_date < {{ report_end_date() }}
    group by campaign_id, cost_date
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
