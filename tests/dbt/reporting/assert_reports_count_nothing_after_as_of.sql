-- Reports count only what happened: no day on or after as_of in the daily report, and no cost,
-- send or attributed order of a message scheduled on or after as_of (local date of its send
-- time) in the lifetime message report. Before the fix the daily report counted the cost of
-- messages scheduled after the data ends (decisions/marts.md #16).
with daily as (
    select * from {{ ref('rpt_campaign_performance_daily') }}
),

message_report as (
    select * from {{ ref('rpt_message_performance') }}
),

late_days as (
    select
        campaign_id,
        'daily row on or after as_of' as problem
    from daily
    where report_date >= cast('{{ var("as_of") }}' as date)
),

scheduled_messages as (
    select
        campaign_id,
        'cost, send or order of a message scheduled on or after as_of' as problem
    from message_report
    where
        {{ utc_to_local_date('send_at') }} >= cast('{{ var("as_of") }}' as date)
        and (coalesce(cost, 0) <> 0 or sends <> 0 or last_touch_orders <> 0)
)

select * from late_days
union all
select * from scheduled_messages
