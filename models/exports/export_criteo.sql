-- Criteo offline sales (CSV over SFTP): one row per sold product line of a purchase in
-- Criteo's window (the previous UTC day). user_email and customer_id (the brand's customer
-- key) are SHA-256 hex; event_id is the order id. A line is sent once: the ledger key is the
-- transaction item. product_quantity is exact (2.5 units stay 2.5).
with candidates as (
    select * from {{ ref('export_prep__candidates') }}
    where platform = 'criteo' and exclusion_reason is null
),

items as (
    select * from {{ ref('export_prep__conversion_items') }}
),

-- the line's quantity exactly (export_prep__conversion_items rounds it to a whole number)
item_quantities as (
    select
        transaction_item_id,
        quantity
    from {{ ref('fct_transaction_items') }}
),

final as (
    select
        candidates.email_sha256 as user_email,
        candidates.external_id_sha256 as customer_id,
        candidates.conversion_id as event_id,
        {{ export_format_timestamp('candidates.event_at', 'iso_utc') }} as event_time,
        items.product_id,
        items.unit_price as product_price,
        item_quantities.quantity as product_quantity,
        candidates.organization_id as store_id,
        candidates.currency_code as currency,
        items.transaction_item_id as export_key,
        candidates.customer_id as cdp_customer_id,
        candidates.conversion_type as cdp_conversion_type,
        candidates.event_at
    from candidates
    inner join items
        on candidates.conversion_id = items.transaction_id
    inner join item_quantities
        on items.transaction_item_id = item_quantities.transaction_item_id
)

select * from final
