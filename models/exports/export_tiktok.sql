-- TikTok Events API, offline event set: one row per conversion in TikTok's window (7 days),
-- field names as TikTok takes them. email / phone / external_id are SHA-256 hex (phone of
-- `+E.164`); event_id (= order id for purchases) is TikTok's dedup key. ttclid, the click id
-- of the customer's latest TikTok ad click in the click window (export_prep__click_ids), is
-- not hashed.
with candidates as (
    select * from {{ ref('export_prep__candidates') }}
    where platform = 'tiktok' and exclusion_reason is null
),

click_ids as (
    select * from {{ ref('export_prep__click_ids') }}
),

contents as (
    {{ export_purchase_contents([
        ['content_id', 'product_id', 'text'],
        ['quantity', 'quantity', 'number'],
        ['price', 'unit_price', 'number'],
    ], ref('export_prep__conversion_items')) }}
),

final as (
    select
        'offline' as event_source,
        {{ export_var_literal('export_tiktok_event_source_id') }} as event_source_id,
        candidates.platform_event_name as event_name,
        {{ epoch_seconds('candidates.event_at') }} as event_time,
        candidates.conversion_id as event_id,
        candidates.email_sha256 as email,
        candidates.phone_e164_sha256 as phone,
        candidates.external_id_sha256 as external_id,
        click_ids.ttclid,
        candidates.conversion_value as value,
        candidates.currency_code as currency,
        case when candidates.conversion_type = 'purchase' then candidates.conversion_id end as order_id,
        candidates.organization_id as shop_id,
        contents.contents,
        case when contents.contents is not null then 'product' end as content_type,
        candidates.conversion_id as export_key,
        candidates.customer_id as cdp_customer_id,
        candidates.conversion_type as cdp_conversion_type,
        candidates.event_at
    -- contents holds purchases only; an equality-only condition keeps this a hash join
    -- (a predicate on the preserved side in the ON clause makes DuckDB nest loops).
    from candidates
    left join contents
        on candidates.conversion_id = contents.transaction_id
    left join click_ids
        on candidates.conversion_id = click_ids.conversion_id
)

select * from final
