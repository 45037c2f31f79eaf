-- Engagement events: one row per event (int_events__classified) on a live message, with the
-- counting rules of the rpt_* reports as per-event columns (1 = the event counts, else 0), so
-- a report is a group by and sums (engagement_aggregates). Holdout messages are kept and
-- flagged (is_holdout_message): their events are assignments, not engagement, and only
-- rpt_message_performance counts them.
--   * delivered_change: +1 a delivery event of an sms / paid social message; for any other
--     channel +1 a send and -1 a bounce (delivered = sends minus bounces), else 0;
--   * hard / soft bounce: a bounce whose subtype is 'hard' / 'soft' (any case).
with events as (
    select * from {{ ref('int_events__classified') }}
),

messages as (
    select * from {{ ref('int_messages__live') }}
),

final as (
    select
        events.event_id,
        events.message_id,
        messages.dispatch_id,
        messages.campaign_id,
        messages.channel as message_channel,
        messages.variant as message_variant,
        messages.is_holdout as is_holdout_message,
        events.customer_id,
        events.event_at,
        events.event_local_date,
        events.activity,
        events.event_subtype,
        case when events.activity = 'sent' then 1 else 0 end as send_count,
        case when events.activity = 'bounced' then 1 else 0 end as bounce_count,
        case when events.activity = 'bounced' and lower(events.event_subtype) = 'hard' then 1 else 0 end
            as hard_bounce_count,
        case when events.activity = 'bounced' and lower(events.event_subtype) = 'soft' then 1 else 0 end
            as soft_bounce_count,
        case when events.activity = 'opened' then 1 else 0 end as open_count,
        case when events.activity = 'clicked' then 1 else 0 end as click_count,
        case when events.activity = 'unsubscribed' then 1 else 0 end as unsubscribe_count,
        case
            when messages.channel in ('sms', 'paid_social') and events.activity = 'delivered' then 1
            when messages.channel in ('sms', 'paid_social') then 0
            when events.activity = 'sent' then 1
            when events.activity = 'bounced' then -1
            else 0
        end as delivered_change
    from events
    inner join messages
        on events.message_id = messages.message_id
)

select * from final
