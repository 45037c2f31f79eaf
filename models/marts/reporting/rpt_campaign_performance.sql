-- Campaign performance (lifetime): one row per campaign of dim_campaigns. Engagement over
-- the events of its non-holdout messages (recipients and unique counts are distinct
-- customers across all its messages); cost = sum of its messages' cost.
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

engagement as (
    select
        campaign_id,
        {{ engagement_aggregates() }}
    from engagement_events
    where not is_holdout_message
    group by campaign_id
),

message_costs as (
    select
        campaign_id,
        cast(count(distinct dispatch_id) as {{ dbt.type_bigint() }}) as dispatch_count,
        cast(count(*) as {{ dbt.type_bigint() }}) as message_count,
        cast(sum(cost) as decimal(18, 4)) as cost
    from messages
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
