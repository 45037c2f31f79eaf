-- Pinterest offline conversions (CSV upload): one row per conversion in Pinterest's window
-- (30 days), field names as Pinterest takes them. email is SHA-256 hex; order_id is the
-- dedup key (the event id for non-purchase events).
with candidates as (
    select * from {{ ref('export_prep__candidates') }}
    where platform = 'pinterest' and exclusion_reason is null
),

exact_items as (
    {{ export_exact_number_items(ref('export_prep__conversion_items'), ref('fct_transaction_items')) }}
),

final as (
    select
        candidates.email_sha256 as email,
        {{ epoch_seconds('candidates.event_at') }} as event_time,
        candidates.platform_event_name as event_type,
        candidates.conversion_value as value,
        candidates.currency_code as currency,
        candidates.conversion_id as order_id,
        coalesce(exact_items.number_items, candidates.number_items) as quantity,
        'offline' as event_source,
        candidates.conversion_id as export_key,
        candidates.customer_id as cdp_customer_id,
        candidates.conversion_type as cdp_conversion_type,
        candidates.event_at
    from candidates
    left join exact_items
        on candidates.conversion_id = exact_items.transaction_id
)

select * from final
