-- Google Ads Enhanced Conversions (upload): one row per purchase in Google's window (90
-- days), at least one of hashed_email / hashed_phone_number (SHA-256 hex; email under the
-- gmail rule, phone of `+E.164`). order_id is unique; conversion_date_time carries its
-- offset (+00:00: the warehouse keeps UTC).
with candidates as (
    select * from {{ ref('export_prep__candidates') }}
    where platform = 'google_enhanced_conversions' and exclusion_reason is null
),

final as (
    select
        conversion_id as order_id,
        {{ export_format_timestamp('event_at', 'offset_utc') }} as conversion_date_time,
        conversion_value,
        currency_code,
        email_google_sha256 as hashed_email,
        phone_e164_sha256 as hashed_phone_number,
        conversion_id as export_key,
        customer_id as cdp_customer_id,
        conversion_type as cdp_conversion_type,
        event_at
    from candidates
)

select * from final
