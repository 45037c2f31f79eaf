-- Holdout assignments: one row per dispatch x customer with an event on a holdout message of
-- that dispatch (the control group). Such customers are never credited for the dispatch and
-- form the control side of rpt_direct_mail_lift.
with events as (
    select * from {{ ref('int_events__classified') }}
),

holdout_events as (
    select
        dispatch_id,
        customer_id,
        message_id,
        event_id,
        event_at
    from events
    where
        is_holdout
        and customer_id is not null
        and dispatch_id is not null
),

ranked as (
    select
        *,
        row_number() over (
            partition by dispatch_id, customer_id
            order by event_at, message_id, event_id
        ) as assignment_rank
    from holdout_events
),

final as (
    select
        dispatch_id,
        customer_id,
        message_id as holdout_message_id,
        event_at as assigned_at
    from ranked
    where assignment_rank = 1
)

select * from final
