-- Dispatch performance (lifetime): one row per dispatch of dim_dispatches. Engagement over
-- the events of its non-holdout messages; cost = sum of its messages' cost.
with dispatches as (
    select * from {{ ref('dim_dispatches') }}
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

engagement as (
    select
        dispatch_id,
        {{ engagement_aggregates() }}
    from engagement_events
    where not is_holdout_message
    group by dispatch_id
),

message_costs as (
    select
        dispatch_id,
        cast(count(*) as {{ dbt.type_bigint() }}) as message_count,
        cast(sum(cost) as decimal(18, 4)) as cost
    from messages
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
