-- Google Ads Enhanced Conversions (upload): one row per purchase in Google's window (90
-- days), at least one of hashed_email / hashed_phone_number (SHA-256 hex; email under the
-- gmail rule, phone of `+E.164`). order_id is unique; conversion_date_time carries its
-- offset (+00:00: the warehouse keeps UTC). gclid, the click id of the customer's latest
-- Google ad click in the click window (export_prep__click_ids), is not hashed.
with candidates as (
    select * from {{ ref('export_prep__candidates') }}
    where platform = 'google_enhanced_conversions' and exclusion_reason is null
),

click_ids as (
    select * from {{ ref('export_prep__click_ids') }}
),

final as (
    select
        candidates.conversion_id as order_id,
        {{ export_format_timestamp('candidates.event_at', 'offset_utc') }} as conversion_date_time,
        candidates.conversion_value,
        candidates.currency_code,
        candidates.email_google_sha256 as hashed_email,
        candidates.phone_e164_sha256 as hashed_phone_number,
        click_ids.gclid,
        candidates.conversion_id as export_key,
        candidates.customer_id as cdp_customer_id,
        candidates.conversion_type as cdp_conversion_type,
        candidates.event_at
    from candidates
    left join click_ids
        on candidates.conversion_id = click_ids.conversion_id
)

select * from final
