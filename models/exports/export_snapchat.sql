-- Snapchat offline conversions (CSV): one row per conversion in Snapchat's window (28 days),
-- field names as Snapchat takes them. hashed_email / hashed_phone_number are SHA-256 hex (the
-- phone's E.164 digits without `+`); transaction_id is the dedup key.
with candidates as (
    select * from {{ ref('int_export__candidates') }}
    where platform = 'snapchat' and exclusion_reason is null
),

final as (
    select
        email_sha256 as hashed_email,
        phone_sha256 as hashed_phone_number,
        platform_event_name as event_type,
        'OFFLINE' as event_conversion_type,
        {{ export_format_timestamp('event_at', 'iso_utc') }} as event_timestamp,
        conversion_value as price,
        currency_code as currency,
        number_items,
        conversion_id as transaction_id,
        conversion_id as export_key,
        customer_id as cdp_customer_id,
        conversion_type as cdp_conversion_type,
        event_at
    from candidates
)

select * from final
