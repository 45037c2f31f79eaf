-- No paid-media export carries a customer who is deleted or chose DNS=Y, checked against
-- staging (where deleted customers still are) - not against the absence from dim_customers -
-- and no row without a known customer. Returns the offending rows.
with customers as (
    select * from {{ ref('stg_cdp__customers') }}
),

export_rows as (
    {{ export_union(['export_key', 'cdp_customer_id'], {
        'meta': ref('export_meta'),
        'the_trade_desk': ref('export_the_trade_desk'),
        'tiktok': ref('export_tiktok'),
        'pinterest': ref('export_pinterest'),
        'snapchat': ref('export_snapchat'),
        'criteo': ref('export_criteo'),
        'google_enhanced_conversions': ref('export_google_enhanced_conversions'),
    }) }}
)

select
    export_rows.platform,
    export_rows.export_key,
    export_rows.cdp_customer_id,
    customers.is_deleted,
    customers.do_not_sell
from export_rows
left join customers
    on export_rows.cdp_customer_id = customers.customer_id
where
    customers.customer_id is null
    or customers.is_deleted
    or customers.do_not_sell
