-- Landing pages of web sessions: one row per session of int_web__session_events that has an
-- event with a URL - the first such event (by time, then event_id) - with the campaign
-- parameters and click ids of its URL (macro url_query_parameter: the query string between the
-- first '?' and the first '#', first occurrence of a key, key case ignored, percent-decoded;
-- docs/marts.md#web-sessions).
-- A table, not a view: the parsing expressions are long, and Spark's metastore cannot keep a
-- view text of this size.
with session_events as (
    select * from {{ ref('int_web__session_events') }}
    where url is not null
),

landing_candidates as (
    select
        session_key,
        event_id,
        url,
        message_id,
        row_number() over (partition by session_key order by event_at, event_id) as landing_rank
    from session_events
),

final as (
    select
        session_key,
        event_id as landing_event_id,
        url as landing_url,
        message_id as landing_message_id,
        {{ url_query_parameter('url', 'utm_source') }} as utm_source,
        {{ url_query_parameter('url', 'utm_medium') }} as utm_medium,
        {{ url_query_parameter('url', 'utm_campaign') }} as utm_campaign,
        {{ url_query_parameter('url', 'utm_content') }} as utm_content,
        {{ url_query_parameter('url', 'utm_term') }} as utm_term,
        {{ url_query_parameter('url', 'gclid') }} as gclid,
        {{ url_query_parameter('url', 'fbclid') }} as fbclid,
        {{ url_query_parameter('url', 'ttclid') }} as ttclid
    from landing_candidates
    where landing_rank = 1
)

select * from final
