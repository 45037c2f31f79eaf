-- The journey holds exactly the events with a resolved customer and all transactions, and
-- the daily event activity counts exactly the events with a resolved customer.
with journey as (
    select
        sum(case when entry_kind = 'event' then 1 else 0 end) as journey_events,
        sum(case when entry_kind = 'transaction' then 1 else 0 end) as journey_transactions
    from {{ ref('fct_customer_journey') }}
),

daily as (
    select sum(event_count) as daily_events
    from {{ ref('fct_customer_event_daily') }}
),

resolved_events as (
    select count(*) as resolved_events
    from {{ ref('fct_events') }}
    where customer_id is not null
),

transactions as (
    select count(*) as transaction_count
    from {{ ref('fct_transactions') }}
),

final as (
    select
        journey.journey_events,
        journey.journey_transactions,
        daily.daily_events,
        resolved_events.resolved_events,
        transactions.transaction_count
    from journey
    cross join daily
    cross join resolved_events
    cross join transactions
    where
        coalesce(journey.journey_events, 0) <> resolved_events.resolved_events
        or coalesce(journey.journey_transactions, 0) <> transactions.transaction_count
        or coalesce(daily.daily_events, 0) <> resolved_events.resolved_events
)

select * from final
