-- Web events in sessions: one row per web event (seed ref_event_types channel 'web') that carries a
-- SessionID or a cookie, except events of erased customers, with the session it belongs to
-- (docs/marts.md#web-sessions). message_id is as delivered: int_web__sessions keeps live ones.
--   * a SessionID is the session: its events form one session whatever their cookie;
--   * a cookie's events without a SessionID are split by inactivity: a gap of more than var
--     web_session_timeout_minutes starts a new session.
{%- set timeout_minutes = var('web_session_timeout_minutes') | int %}
-- session_key: a hash of the SessionID, or of the cookie and the session's first event_id (so a
-- session's key does not depend on how many sessions came before it).
with resolved_events as (
    select * from {{ ref('int_events__customer_resolved') }}
    where
        customer_resolution <> 'erased'
        and (session_id is not null or cookie is not null)
),

event_types as (
    select * from {{ ref('ref_event_types') }}
    where channel = 'web'
),

events as (
    select
        resolved_events.*,
        event_types.activity,
        {{ utc_to_local_date('resolved_events.event_at') }} as event_local_date
    from resolved_events
    inner join event_types
        on resolved_events.event_type = event_types.event_type
),

cookie_events as (
    select
        event_id,
        cookie,
        event_at,
        lag(event_at) over (partition by cookie order by event_at, event_id) as previous_event_at
    from events
    where session_id is null
),

cookie_session_starts as (
    select
        *,
        case
            when previous_event_at is null then 1
            when previous_event_at < {{ dbt.dateadd('minute', -1 * timeout_minutes, 'event_at') }} then 1
            else 0
        end as is_session_start
    from cookie_events
),

cookie_sessions_numbered as (
    select
        *,
        sum(is_session_start) over (
            partition by cookie order by event_at, event_id
            rows between unbounded preceding and current row
        ) as cookie_session_number
    from cookie_session_starts
),

cookie_sessions as (
    select
        event_id,
        cookie,
        min(case when is_session_start = 1 then event_id end) over (
            partition by cookie, cookie_session_number
        ) as session_first_event_id
    from cookie_sessions_numbered
),

final as (
    select
        case
            when events.session_id is not null
                then {{ surrogate_key(["'session_id'", 'events.session_id']) }}
            else {{ surrogate_key(["'cookie'", 'events.cookie', 'cookie_sessions.session_first_event_id']) }}
        end as session_key,
        case when events.session_id is not null then 'session_id' else 'cookie_inactivity' end as session_source,
        events.event_id,
        events.event_type,
        events.activity,
        events.event_at,
        events.event_local_date,
        events.session_id,
        events.cookie,
        events.customer_id,
        events.customer_resolution,
        events.message_id,
        events.url,
        events.transaction_id
    from events
    left join cookie_sessions
        on events.event_id = cookie_sessions.event_id
)

select * from final
