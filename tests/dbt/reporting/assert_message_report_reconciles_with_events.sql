-- Engagement totals of rpt_message_performance equal the event counts of fct_events with a
-- message before as_of (every campaign event is counted once, holdout messages included).
with report as (
    select * from {{ ref('rpt_message_performance') }}
),

events as (
    select * from {{ ref('fct_events') }}
),

report_totals as (
    select
        sum(sends) as sends,
        sum(bounces) as bounces,
        sum(opens) as opens,
        sum(clicks) as clicks,
        sum(unsubscribes) as unsubscribes
    from report
),

event_totals as (
    select
        sum(case when activity = 'sent' then 1 else 0 end) as sends,
        sum(case when activity = 'bounced' then 1 else 0 end) as bounces,
        sum(case when activity = 'opened' then 1 else 0 end) as opens,
        sum(case when activity = 'clicked' then 1 else 0 end) as clicks,
        sum(case when activity = 'unsubscribed' then 1 else 0 end) as unsubscribes
    from events
    where
        message_id is not null
        and event_local_date < cast('{{ var("as_of") }}' as date)
)

select
    report_totals.sends as report_sends,
    event_totals.sends as event_sends
from report_totals
cross join event_totals
where
    coalesce(report_totals.sends, 0) <> coalesce(event_totals.sends, 0)
    or coalesce(report_totals.bounces, 0) <> coalesce(event_totals.bounces, 0)
    or coalesce(report_totals.opens, 0) <> coalesce(event_totals.opens, 0)
    or coalesce(report_totals.clicks, 0) <> coalesce(event_totals.clicks, 0)
    or coalesce(report_totals.unsubscribes, 0) <> coalesce(event_totals.unsubscribes, 0)
