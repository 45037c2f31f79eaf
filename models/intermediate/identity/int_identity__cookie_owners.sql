-- Who a cookie belongs to, and when: one row per stretch of a cookie's identifications by the
-- same customer (docs/marts.md#identity-stitching).
-- An identification is an event that carries a cookie and names a customer by its own
-- identifiers (int_events__identified: number or e-mail; a deleted customer counts, as
-- nobody). Rules:
--   * the latest identification wins from then on: a new owner starts a new stretch
--     (a shared device changes hands), valid until the next owner's first identification;
--   * a cookie never merges customers: each stretch has one owner, events that name a
--     customer keep their own;
--   * the first stretch also takes the cookie's anonymous events of the back-stitch window
--     (var identity_back_stitch_days) before it (applied in int_events__customer_resolved);
--   * a stretch of a deleted customer stitches to nobody (customer_id NULL, is_owner_erased).
with identified_events as (
    select * from {{ ref('int_events__identified') }}
),

identifications as (
    select
        cookie,
        event_at as identified_at,
        event_id,
        customer_id,
        customer_resolution = 'erased' as is_owner_erased,
        -- The owner as one comparable value: every deleted owner is "nobody".
        coalesce(customer_id, '(erased)') as owner_key
    from identified_events
    where
        cookie is not null
        and customer_resolution in ('customer_number', 'email', 'erased')
),

sequenced as (
    select
        *,
        lag(owner_key) over (
            partition by cookie order by identified_at, event_id
        ) as previous_owner_key
    from identifications
),

-- Stretch number: how many owner changes happened up to and including this identification.
stretched as (
    select
        *,
        sum(case when previous_owner_key is null or previous_owner_key <> owner_key then 1 else 0 end)
            over (
                partition by cookie order by identified_at, event_id
                rows between unbounded preceding and current row
            ) as stretch_number
    from sequenced
),

stretches as (
    select
        cookie,
        stretch_number,
        max(customer_id) as customer_id,
        max(case when is_owner_erased then 1 else 0 end) = 1 as is_owner_erased,
        min(identified_at) as valid_from,
        max(identified_at) as last_identified_at,
        count(*) as identification_count
    from stretched
    group by cookie, stretch_number
),

final as (
    select
        {{ surrogate_key(['cookie', 'stretch_number']) }} as cookie_owner_id,
        cookie,
        cast(stretch_number as {{ dbt.type_int() }}) as stretch_number,
        customer_id,
        is_owner_erased,
        valid_from,
        lead(valid_from) over (partition by cookie order by stretch_number) as valid_to,
        last_identified_at,
        cast(identification_count as {{ dbt.type_bigint() }}) as identification_count
    from stretches
)

select * from final
