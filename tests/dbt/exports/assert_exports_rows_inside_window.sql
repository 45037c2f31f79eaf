-- Every row of every paid-media export lies inside its platform's window, both edges:
-- as_of - N days <= event_at < as_of (N = the window used on this run, Meta's first load
-- included; Meta website purchases 7 days at most). Returns the rows outside.
{%- set exports = {
    'meta': ref('export_meta'),
    'the_trade_desk': ref('export_the_trade_desk'),
    'tiktok': ref('export_tiktok'),
    'pinterest': ref('export_pinterest'),
    'snapchat': ref('export_snapchat'),
    'criteo': ref('export_criteo'),
    'google_enhanced_conversions': ref('export_google_enhanced_conversions'),
} -%}
{%- set ledger = export_existing_relation(ref('export_ledger')) -%}
{%- set files = export_existing_relation(ref('export_files')) -%}
{%- set platforms = export_platforms() -%}
{%- for platform, relation in exports.items() %}
    {%- set p = platforms[platform] %}
    select
        '{{ platform }}' as platform,
        export_rows.export_key,
        export_rows.event_at
    from {{ relation }} as export_rows
    where not {{ export_in_window('export_rows.event_at', export_effective_window_days(platform, ledger, files)) }}
        {%- if p.get('website_max_days') %}
            or (
                export_rows.event_at < {{ export_window_start(p['website_max_days']) }}
                and export_rows.export_key in (
                    select web_orders.transaction_id from {{ ref('fct_transactions') }} as web_orders
                    where web_orders.organization_type = 'web'
                )
            )
        {%- endif %}
    {%- if not loop.last %}
        union all
    {%- endif %}
{%- endfor %}
