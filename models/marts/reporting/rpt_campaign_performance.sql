-- Campaign performance (lifetime): one row per campaign of dim_campaigns. Engagement over
-- the events of its non-holdout messages (recipients and unique counts are distinct
-- customers across all its messages); cost = sum of its messages' cost. Only what happened
-- before as_of counts (events, purchases, the cost of messages sent before it).
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

engagement as (
    select
        campaign_id,
        {{ engagement_aggregates() }}
    from period_events
    where not is_holdout_message
    group by campaign_id
),

message_costs as (
    select
        campaign_id,
        cast(count(distinct dispatch_id) as {{ dbt.type_bigint() }}) as dispatch_count,
        cast(count(*) as {{ dbt.type_bigint() }}) as message_count,
        cast(sum(reported_cost) as decimal(18, 4)) as cost
    from message_costs_reported
    group by campaign_id
),

attributed as (
    select
        campaign_id,
        {{ attributed_aggregates() }}
    from attributions
    group by campaign_id
),

joined as (
    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        coalesce(message_costs.dispatch_count, 0) as dispatch_count,
        coalesce(message_costs.message_count, 0) as message_count,
        {{ engagement_columns('engagement') }},
        message_costs.cost,
        {{ attributed_columns('attributed') }}
    from campaigns
    left join message_costs
        on campaigns.campaign_id = message_costs.campaign_id
    left join engagement
        on campaigns.campaign_id = engagement.campaign_id
    left join attributed
        on campaigns.campaign_id = attributed.campaign_id
),

final as (
    select
        *,
        {{ engagement_rates() }},
        {{ cost_efficiency('cost') }}
    from joined
)

select * from final
