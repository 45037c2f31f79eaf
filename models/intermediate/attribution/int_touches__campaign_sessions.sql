-- Campaign sessions as touches: one row per web session (int_web__sessions) that resolves to a
-- live campaign and has a (stitched) customer - a visit that landed through a campaign URL
-- credits the campaign even without a SourceMessageNumber (docs/attribution.md#campaign-sessions).
--   * lookback rule, touch type 'campaign_session', lookback days from var
--     attribution_lookback_days (key campaign_session; without the key no session is a touch);
--   * the landing of a click already counted is not a second touch: a session is left out when
--     the customer clicked (activity 'clicked') a message of the same campaign from var
--     web_session_timeout_minutes before the session's start to its end;
--   * channel: the resolved message's channel, else 'web'.
{%- set lookback = var('attribution_lookback_days').get('campaign_session') %}
with sessions as (
    select * from {{ ref('int_web__sessions') }}
    where
        campaign_id is not null
        and customer_id is not null
),

events as (
    select * from {{ ref('int_events__classified') }}
),

messages as (
    select * from {{ ref('int_messages__live') }}
),

clicked_sessions as (
    select distinct sessions.session_key
    from sessions
    inner join events
        on
            sessions.customer_id = events.customer_id
            and sessions.campaign_id = events.campaign_id
            and events.activity = 'clicked'
            and events.event_at >= {{ dbt.dateadd('minute', -1 * (var('web_session_timeout_minutes') | int), 'sessions.session_start_at') }}
            and events.event_at <= sessions.session_end_at
),

final as (
    select
        sessions.session_key as touch_id,
        sessions.customer_id,
        sessions.session_start_at as touch_at,
        sessions.session_local_date as touch_local_date,
        coalesce(messages.channel, 'web') as touch_channel,
        'visited' as touch_activity,
        'campaign_session' as touch_type,
        'lookback' as touch_rule,
        {{ lookback | int if lookback is not none else 'cast(null as ' ~ dbt.type_int() ~ ')' }} as lookback_days,
        sessions.message_id,
        sessions.dispatch_id,
        sessions.campaign_id
    from sessions
    left join messages
        on sessions.message_id = messages.message_id
    left join clicked_sessions
        on sessions.session_key = clicked_sessions.session_key
    where
        clicked_sessions.session_key is null
        {%- if lookback is none %}
        and 1 = 0
        {%- endif %}
)

select * from final
