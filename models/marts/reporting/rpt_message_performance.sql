-- Message performance (lifetime): one row per message of dim_messages. Engagement counts all
-- events of the message (for a holdout message, its assignment events); attribution and cost
-- as in docs/attribution.md.
with messages as (
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
        message_id,
        {{ engagement_aggregates() }}
    from engagement_events
    group by message_id
),

attributed as (
    select
        message_id,
        {{ attributed_aggregates() }}
    from attributions
    group by message_id
),

joined as (
    select
        messages.message_id,
        messages.message_name,
        messages.dispatch_id,
        messages.campaign_id,
        messages.channel,
        messages.variant,
        messages.is_holdout,
        messages.send_at,
        {{ engagement_columns('engagement') }},
        messages.cost,
        {{ attributed_columns('attributed') }}
    from messages
    left join engagement
        on messages.message_id = engagement.message_id
    left join attributed
        on messages.message_id = attributed.message_id
),

final as (
    select
        *,
        {{ engagement_rates() }},
        {{ cost_efficiency('cost') }}
    from joined
)

select * from final
