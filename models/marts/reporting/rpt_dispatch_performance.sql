-- Dispatch performance (lifetime): one row per dispatch of dim_dispatches. Engagement over
-- the events of its non-holdout messages; cost = sum of its messages' cost. Only what
-- happened before as_of counts (events, purchases, the cost of messages sent before it).
with dispatches as (
    select * from {{ ref('dim_dispatches') }}
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
        dispatch_id,
        {{ engagement_aggregates() }}
    from period_events
    where not is_holdout_message
    group by dispatch_id
),

message_costs as (
    select
        dispatch_id,
        cast(count(*) as {{ dbt.type_bigint() }}) as message_count,
        cast(sum(reported_cost) as decimal(18, 4)) as cost
    from message_costs_reported
    group by dispatch_id
),

attributed as (
    select
        dispatch_id,
        {{ attributed_aggregates() }}
    from attributions
    group by dispatch_id
),

joined as (
    select
        dispatches.dispatch_id,
        dispatches.dispatch_name,
        dispatches.campaign_id,
        dispatches.channel,
        dispatches.dispatch_type,
        dispatches.dispatch_subtype,
        coalesce(message_costs.message_count, 0) as message_count,
        {{ engagement_columns('engagement') }},
        message_costs.cost,
        {{ attributed_columns('attributed') }}
    from dispatches
    left join message_costs
        on dispatches.dispatch_id = message_costs.dispatch_id
    left join engagement
        on dispatches.dispatch_id = engagement.dispatch_id
    left join attributed
        on dispatches.dispatch_id = attributed.dispatch_id
),

final as (
    select
        *,
        {{ engagement_rates() }},
        {{ cost_efficiency('cost') }}
    from joined
)

select * from final
