-- Live messages (level 3): one row per live message_id whose dispatch (and campaign) is live.
-- Effective attribution window: the message's own values override the dispatch's, which
-- override the defaults (start = the message's send date, else the dispatch's creation
-- date; window = var default_attribution_window_days). Dates are UTC calendar dates.
with messages as (
    select * from {{ ref('stg_cdp__messages') }}
),

dispatches as (
    select * from {{ ref('int_dispatches__live') }}
),

final as (
    select
        messages.message_id,
        messages.dispatch_id,
        dispatches.campaign_id,
        dispatches.channel,
        messages.message_name,
        messages.subject,
        messages.variant,
        messages.is_holdout,
        messages.cost,
        messages.send_at,
        coalesce(
            messages.attribution_start_date,
            dispatches.attribution_start_date,
            cast(messages.send_at as date),
            cast(dispatches.created_at as date)
        ) as effective_attribution_start_date,
        coalesce(
            messages.attribution_window_days,
            dispatches.attribution_window_days,
            {{ var('default_attribution_window_days') }}
        ) as effective_attribution_window_days,
        messages.custom_attributes
    from messages
    inner join dispatches
        on messages.dispatch_id = dispatches.dispatch_id
    where not messages.is_deleted
)

select * from final
