-- Braze user attributes (REST /users/track, JSON lines): one row per live customer, keyed by
-- external_id, with the contact fields and the event attributes as of as_of. DNE=Y sends
-- email as null (Braze then drops the address), DNC=Y does the same for phone. attributes_hash
-- covers every field but days_since_last_order, which moves every day: the delta sends a
-- customer when something else changed.
with profiles as (
    select * from {{ ref('export_prep__customer_profiles') }}
),

shaped as (
    select
        customer_id as external_id,
        case when is_email_allowed then email_normalized end as email,
        case when is_phone_allowed then phone_e164 end as phone,
        first_name,
        last_name,
        city as home_city,
        country_code as country,
        {{ export_format_timestamp('last_order_at', 'iso_utc') }} as last_order_at,
        lifetime_revenue,
        orders_last_30d,
        revenue_last_30d,
        days_since_last_order,
        last_campaign_engaged,
        last_event_type
    from profiles
),

final as (
    select
        *,
        {{ surrogate_key([
            'external_id', 'email', 'phone', 'first_name', 'last_name', 'home_city', 'country',
            'last_order_at', 'lifetime_revenue', 'orders_last_30d', 'revenue_last_30d',
            'last_campaign_engaged', 'last_event_type']) }} as attributes_hash,
        external_id as export_key
    from shaped
)

select * from final
