-- Eligible touches: one row per campaign event that can earn attribution credit.
--   * direct-mail sends (rule `matchback`): credited to purchases inside the message's
--     effective attribution window;
--   * digital touches (rule `lookback`): event types `<channel>_<activity>` listed in the
--     var `attribution_lookback_days`, credited to purchases within that many days;
--   * campaign sessions (rule `lookback`, int_touches__campaign_sessions): web visits that
--     landed through a campaign URL - except the landing of a click touch counted here: a
--     session is left out when the customer has a click touch on the same campaign from var
--     web_session_timeout_minutes before the session's start to its end.
-- Never a touch: events without a resolved customer or message, events on holdout messages,
-- and any event of a customer who is in the holdout of the same dispatch.
{#- Lookback (days) of a digital touch type `<channel>_<activity>` from the var
    `attribution_lookback_days`; NULL (not a touch) for types not listed there. -#}
{%- set lookback_days_of_touch_type -%}
    case touch_type
    {%- for touch_type, days in var('attribution_lookback_days').items() %}
        when {{ closedloop.sql_string(touch_type) }} then {{ days | int }}
    {%- endfor %}
    end
{%- endset %}
{%- set timeout_minutes = var('web_session_timeout_minutes') | int %}
with events as (
    select * from {{ ref('int_events__classified') }}
),

messages as (
    select * from {{ ref('int_messages__live') }}
),

holdouts as (
    select * from {{ ref('int_touches__holdout_assignments') }}
),

campaign_sessions as (
    select * from {{ ref('int_touches__campaign_sessions') }}
),

campaign_events as (
    select
        events.event_id as touch_id,
        events.customer_id,
        events.event_at as touch_at,
        events.event_local_date as touch_local_date,
        events.channel as touch_channel,
        events.activity as touch_activity,
        {{ dbt.concat(['events.channel', "'_'", 'events.activity']) }} as touch_type,
        events.message_id,
        messages.dispatch_id,
        messages.campaign_id,
        messages.effective_attribution_start_date,
        messages.effective_attribution_window_days
    from events
    inner join messages
        on events.message_id = messages.message_id
    where
        events.customer_id is not null
        and not coalesce(events.is_holdout, false)
        and not coalesce(messages.is_holdout, false)
),

typed as (
    select
        *,
        case
            when touch_channel = 'direct_mail' and touch_activity = 'sent' then 'matchback'
            when {{ lookback_days_of_touch_type }} is not null then 'lookback'
        end as touch_rule,
        {{ lookback_days_of_touch_type }} as lookback_days
    from campaign_events
),

event_touches as (
    select
        typed.touch_id,
        typed.customer_id,
        typed.touch_at,
        typed.touch_local_date,
        typed.touch_channel,
        typed.touch_activity,
        typed.touch_type,
        typed.touch_rule,
        case when typed.touch_rule = 'lookback' then typed.lookback_days end as lookback_days,
        case
            when typed.touch_rule = 'matchback' then typed.effective_attribution_start_date
        end as matchback_start_date,
        case
            when typed.touch_rule = 'matchback' then typed.effective_attribution_window_days
        end as matchback_window_days,
        typed.message_id,
        typed.dispatch_id,
        typed.campaign_id
    from typed
    where typed.touch_rule is not null
),

click_landings as (
    select distinct campaign_sessions.touch_id
    from campaign_sessions
    inner join event_touches
        on
            campaign_sessions.customer_id = event_touches.customer_id
            and campaign_sessions.campaign_id = event_touches.campaign_id
            and campaign_sessions.touch_at <= {{ dbt.dateadd('minute', timeout_minutes, 'event_touches.touch_at') }}
            and campaign_sessions.touch_end_at >= event_touches.touch_at
    where event_touches.touch_activity = 'clicked'
),

session_touches as (
    select
        campaign_sessions.touch_id,
        campaign_sessions.customer_id,
        campaign_sessions.touch_at,
        campaign_sessions.touch_local_date,
        campaign_sessions.touch_channel,
        campaign_sessions.touch_activity,
        campaign_sessions.touch_type,
        campaign_sessions.touch_rule,
        campaign_sessions.lookback_days,
        cast(null as date) as matchback_start_date,
        cast(null as {{ dbt.type_int() }}) as matchback_window_days,
        campaign_sessions.message_id,
        campaign_sessions.dispatch_id,
        campaign_sessions.campaign_id
    from campaign_sessions
    left join click_landings
        on campaign_sessions.touch_id = click_landings.touch_id
    where click_landings.touch_id is null
),

touches as (
    select * from event_touches
    union all
    select * from session_touches
),

-- A customer in the holdout of a dispatch is touched by none of its messages (a campaign
-- session without a known dispatch is not checked: a held-out customer got no link).
final as (
    select touches.*
    from touches
    left join holdouts
        on
            touches.dispatch_id = holdouts.dispatch_id
            and touches.customer_id = holdouts.customer_id
    where holdouts.customer_id is null
)

select * from final
