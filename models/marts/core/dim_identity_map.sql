-- The identity map: which customer a cookie belongs to, and when (one row per stretch).
-- The rules are in int_identity__cookie_owners (models/intermediate/identity); this mart publishes
-- the stretches of live customers (a deleted customer's cookie is in no mart).
with cookie_owners as (
    select * from {{ ref('int_identity__cookie_owners') }}
),

final as (
    select
        cookie_owner_id,
        cookie,
        stretch_number,
        customer_id,
        valid_from,
        valid_to,
        last_identified_at,
        identification_count
    from cookie_owners
    where not is_owner_erased
)

select * from final
