-- Meta Conversions API, offline event set: one row per conversion in Meta's window (7 days;
-- the first load 62), field names as Meta takes them. Identifiers are SHA-256 hex of the
-- normalized values; event_id (= order id for purchases) is Meta's dedup key. fbc, the click id
-- of the customer's latest Meta ad click in the click window (export_prep__click_ids), is not
-- hashed.
with candidates as (
    select * from {{ ref('export_prep__candidates') }}
    where platform = 'meta' and exclusion_reason is null
),

click_ids as (
    select * from {{ ref('export_prep__click_ids') }}
),

contents as (
    {{ export_purchase_contents([
        ['id', 'product_id', 'text'],
        ['quantity', 'quantity', 'number'],
        ['item_price', 'unit_price', 'number'],
    ], ref('export_prep__conversion_items')) }}
),

final as (
    select
        candidates.platform_event_name as event_name,
        {{ epoch_seconds('candidates.event_at') }} as event_time,
        candidates.conversion_id as event_id,
        case
            when candidates.conversion_channel = 'store' then 'physical_store'
            when candidates.conversion_channel = 'web' and candidates.conversion_type = 'purchase' then 'website'
            when candidates.conversion_channel = 'email' then 'email'
            when candidates.conversion_channel = 'phone' then 'phone_call'
            else 'other'
        end as action_source,
        candidates.email_sha256 as em,
        candidates.phone_sha256 as ph,
        candidates.first_name_sha256 as fn,
        candidates.last_name_sha256 as ln,
        candidates.city_sha256 as ct,
        candidates.state_sha256 as st,
        candidates.zip_sha256 as zp,
        candidates.country_sha256 as country,
        candidates.external_id_sha256 as external_id,
        click_ids.fbc,
        candidates.currency_code as currency,
        candidates.conversion_value as value,
        case when candidates.conversion_type = 'purchase' then candidates.conversion_id end as order_id,
        contents.contents,
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
