-- Events with the customer they belong to: one row per event_id of staging (none dropped here).
-- Step 1 (int_events__identified): the event's own SourceCustomerNumber, else its e-mail.
-- Step 2, here: an anonymous event (no number, no e-mail) with a cookie belongs to the owner of
-- the cookie at the event's time (int_identity__cookie_owners): the stretch it falls in, or, before
-- the cookie's first identification, the first owner within var identity_back_stitch_days.
-- A stretch of a deleted customer makes the event 'erased' (left out of the marts, like the
-- customer's own events).
{%- set back_stitch_days = var('identity_back_stitch_days') | int %}
with identified_events as (
    select * from {{ ref('int_events__identified') }}
),

cookie_owners as (
    select * from {{ ref('int_identity__cookie_owners') }}
),

anonymous_events as (
    select
        event_id,
        cookie,
        event_at
    from identified_events
    where
        source_customer_id is null
        and not has_email
        and cookie is not null
),

-- Stretches are disjoint per cookie, so an event falls in at most one.
stitched as (
    select
        anonymous_events.event_id,
        cookie_owners.cookie_owner_id,
        cookie_owners.customer_id,
        cookie_owners.is_owner_erased
    from anonymous_events
    inner join cookie_owners
        on
            anonymous_events.cookie = cookie_owners.cookie
            and anonymous_events.event_at >= case
                when cookie_owners.stretch_number = 1
                    then {{ dbt.dateadd('day', -1 * back_stitch_days, 'cookie_owners.valid_from') }}
                else cookie_owners.valid_from
            end
            and (
                cookie_owners.valid_to is null
                or anonymous_events.event_at < cookie_owners.valid_to
            )
),

final as (
    select
        identified_events.event_id,
        identified_events.event_type,
        identified_events.event_subtype,
        identified_events.event_at,
        identified_events.source_customer_id,
        case
            when stitched.event_id is not null then stitched.customer_id
            else identified_events.customer_id
        end as customer_id,
        case
            when stitched.event_id is not null and stitched.is_owner_erased then 'erased'
            when stitched.event_id is not null then 'cookie'
            else identified_events.customer_resolution
        end as customer_resolution,
        stitched.cookie_owner_id,
        identified_events.message_id,
        identified_events.cookie,
        identified_events.session_id,
        identified_events.url,
        identified_events.product_id,
        identified_events.transaction_id,
        identified_events.event_value,
        identified_events.custom_attributes
    from identified_events
    left join stitched
        on identified_events.event_id = stitched.event_id
)

select * from final
