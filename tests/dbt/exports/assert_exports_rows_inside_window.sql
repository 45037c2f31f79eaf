-- Every row of every paid-media export lies inside its platform's window, both edges:
-- as_of - N days <= event_at < as_of (N = the window this run uses, export_file_status,
-- Meta's first load included), and web purchases inside website_max_days where the platform
-- has one (export_platform_settings: Meta, 7 days). Returns the rows outside.
with export_rows as (
    {{ export_union(['export_key', 'event_at'], {
        'meta': ref('export_meta'),
        'the_trade_desk': ref('export_the_trade_desk'),
        'tiktok': ref('export_tiktok'),
        'pinterest': ref('export_pinterest'),
        'snapchat': ref('export_snapchat'),
        'criteo': ref('export_criteo'),
        'google_enhanced_conversions': ref('export_google_enhanced_conversions'),
    }) }}
),

file_status as (
    select * from {{ ref('export_file_status') }}
),

settings as (
    select * from {{ ref('export_platform_settings') }}
),

web_orders as (
    select transaction_id from {{ ref('fct_transactions') }}
    where organization_type = 'web'
)

select
    export_rows.platform,
    export_rows.export_key,
    export_rows.event_at,
    file_status.window_days
from export_rows
left join file_status
    on export_rows.platform = file_status.platform
left join settings
    on export_rows.platform = settings.platform
left join web_orders
    on export_rows.export_key = web_orders.transaction_id
where
    file_status.window_days is null
    or not {{ export_in_window('export_rows.event_at', 'file_status.window_days') }}
    or (
        settings.website_max_days is not null
        and web_orders.transaction_id is not null
        and export_rows.event_at < {{ export_window_start('settings.website_max_days') }}
    )
