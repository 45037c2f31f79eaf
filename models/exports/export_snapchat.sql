-- Snapchat offline conversions (CSV): one row per conversion in Snapchat's window (28 days),
-- field names as Snapchat takes them. hashed_email / hashed_phone_number are SHA-256 hex (the
-- phone's E.164 digits without `+`); transaction_id is the dedup key.
with candidates as (
    select * from {{ ref('export_prep__candidates') }}
    where platform = 'snapchat' and exclusion_reason is null
),

exact_items as (
    {{ export_exact_number_items(ref('export_prep__conversion_items'), ref('fct_transaction_items')) }}
),

final as (
    select
        candidates.email_sha256 as hashed_email,
        candidates.phone_sha256 as hashed_phone_number,
        candidates.platform_event_name as event_type,
        'OFFLINE' as event_conversion_type,
        {{ export_format_timestamp('candidates.event_at', 'iso_utc') }} as event_timestamp,
        candidates.conversion_value as price,
        candidates.currency_code as currency,
        coalesce(exact_items.number_items, candidates.number_items) as number_items,
        candidates.conversion_id as transaction_id,
        candidates.conversion_id as export_key,
        candidates.customer_id as cdp_customer_id,
        candidates.conversion_type as cdp_conversion_type,
        candidates.event_at
    from candidates
    left join exact_items
        on candidates.conversion_id = exact_items.transaction_id
)

select * from final
