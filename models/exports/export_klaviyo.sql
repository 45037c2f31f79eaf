-- Klaviyo profiles (REST profile import, JSON lines): one row per live customer with a valid
-- email address, keyed by email. Klaviyo identifies a profile by its email, so a DNE=Y
-- customer cannot be sent with the email cleared: email-unsubscribed customers (DNE=Y, an
-- unsubscribe event, a hard bounce: dim_customer_subscriptions) are left out (counted in
-- export_audit as do_not_email; sent as UNSUBSCRIBED by export_klaviyo_subscriptions).
-- When live customers share an email the owner chosen by int_customers__email_resolved is
-- sent (the others: duplicate_email). NULL values are never written (a null property would
-- clear it in Klaviyo): location and properties omit them.
with profiles as (
    select * from {{ ref('export_prep__customer_profiles') }}
    where
        email_normalized is not null
        and is_email_allowed
        and is_email_owner
),

shaped as (
    select
        email_normalized as email,
        case when is_phone_allowed then phone_e164 end as phone_number,
        first_name,
        last_name,
        customer_id as external_id,
        address_1,
        city,
        state,
        zip_code,
        country_code,
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
        email,
        phone_number,
        first_name,
        last_name,
        external_id,
        {{ export_json_object([
            ['address1', 'address_1', 'text'],
            ['city', 'city', 'text'],
            ['region', 'state', 'text'],
            ['zip', 'zip_code', 'text'],
            ['country', 'country_code', 'text'],
        ]) }} as profile_location,
        {{ export_json_object([
            ['last_order_at', 'last_order_at', 'text'],
            ['lifetime_revenue', 'lifetime_revenue', 'number'],
            ['orders_last_30d', 'orders_last_30d', 'number'],
            ['revenue_last_30d', 'revenue_last_30d', 'number'],
            ['days_since_last_order', 'days_since_last_order', 'number'],
            ['last_campaign_engaged', 'last_campaign_engaged', 'text'],
            ['last_event_type', 'last_event_type', 'text'],
        ]) }} as profile_properties,
        {{ surrogate_key([
            'email', 'phone_number', 'first_name', 'last_name', 'external_id', 'address_1', 'city',
            'state', 'zip_code', 'country_code', 'last_order_at', 'lifetime_revenue', 'orders_last_30d',
            'revenue_last_30d', 'last_campaign_engaged', 'last_event_type']) }} as attributes_hash,
        external_id as export_key
    from shaped
)

select * from final
