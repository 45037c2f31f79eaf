-- Pinterest offline conversions (CSV upload): one row per conversion in Pinterest's window
-- (30 days), field names as Pinterest takes them. email is SHA-256 hex; order_id is the
-- dedup key (the event id for non-purchase events).
with candidates as (
    select * from {{ ref('int_export__candidates') }}
    where platform = 'pinterest' and exclusion_reason is null
),

final as (
    select
        email_sha256 as email,
        {{ epoch_seconds('event_at') }} as event_time,
        platform_event_name as event_type,
        conversion_value as value,
        currency_code as currency,
        conversion_id as order_id,
        number_items as quantity,
        'offline' as event_source,
        conversion_id as export_key,
        customer_id as cdp_customer_id,
        conversion_type as cdp_conversion_type,
        event_at
    from candidates
)

select * from final
