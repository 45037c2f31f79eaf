-- Message performance (lifetime): one row per message of dim_messages. Engagement counts all
-- events of the message (for a holdout message, its assignment events); attribution and cost
-- as in docs/attribution.md. Only what happened before as_of counts (events, purchases; the
-- cost of a message not sent before as_of is 0).
with messages as (
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
        message_id,
        {{ engagement_aggregates() }}
    from period_events
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
        message_costs_reported.reported_cost as cost,
        {{ attributed_columns('attributed') }}
    from messages
    inner join message_costs_reported
        on messages.message_id = message_costs_reported.message_id
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
