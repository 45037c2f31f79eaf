{#- The export contract of every platform (docs/export-contract.md), in one place:
    window, identifier rule, file format and the file's columns. Read by the candidate set
    (export_prep__candidates), the delta and ledger models, the export_layout table that
    scripts/write_exports.py follows, and the export tests. Documented in _exports__macros.yml.

    Keys per platform:
      model            the full window set (export_<platform>); the delta is <model>_delta
      paid_media       DNS / deleted customers never appear; identifiers are hashed
      grain            conversion (one row per conversion), line (one per product line),
                       conversion_identifier (one per conversion and identifier),
                       customer (snapshot platforms)
      window_var       dbt var holding the window in days
      max_window_days  the platform's own limit: a larger var is cut to it (with a warning)
      first_load_var   dbt var: window of the first load (no ledger row for the platform yet)
      website_max_days window limit of action_source website events (Meta)
      required_any     export_prep__customer_identifiers columns: a conversion needs one of them
      requires_lines   a conversion needs product lines (Criteo sends one row per line)
      country          organization country the conversions must come from (alpha-2)
      file_format      csv or jsonl
      null_policy      jsonl only: omit (NULL keys left out) or keep (written as null)
      columns          [model column, file header, kind]; kind: text (CSV: a cell starting
                       = + - @ tab CR is neutralised with a leading '), number, quantity
                       (a number written exactly, trailing zeros dropped: 2.5, 3), hash
                       (SHA-256 hex / Base64, checked by the writer, never neutralised) or json
      required_vars    [[var, field]]: ids the brand must set; while one is empty the platform
                       is not ready (export_file_status): no file, nothing recorded as sent
      business_columns export-table columns whose values come from orders, products or stores,
                       never from the customer record: the clear-text test does not compare
                       them with customers' names and street addresses (a store in Lincoln is
                       not a leak of Mr Lincoln); emails and phones are still looked for
      sort             file row order (the writer adds every other column as a tie-break)
-#}
{% macro export_platforms() %}
    {{ return({
        'meta': {
            'model': 'export_meta',
            'paid_media': true,
            'grain': 'conversion',
            'window_var': 'export_meta_window_days',
            'max_window_days': 62,
            'first_load_var': 'export_meta_first_load_days',
            'website_max_days': 7,
            'business_columns': ['event_id', 'order_id', 'contents', 'export_key'],
            'required_any': ['email_sha256', 'phone_sha256', 'external_id_sha256'],
            'file_format': 'jsonl',
            'null_policy': 'omit',
            'columns': [
                ['event_name', 'event_name', 'text'],
                ['event_time', 'event_time', 'number'],
                ['event_id', 'event_id', 'text'],
                ['action_source', 'action_source', 'text'],
                ['em', 'em', 'hash'],
                ['ph', 'ph', 'hash'],
                ['fn', 'fn', 'hash'],
                ['ln', 'ln', 'hash'],
                ['ct', 'ct', 'hash'],
                ['st', 'st', 'hash'],
                ['zp', 'zp', 'hash'],
                ['country', 'country', 'hash'],
                ['external_id', 'external_id', 'hash'],
                ['currency', 'currency', 'text'],
                ['value', 'value', 'number'],
                ['order_id', 'order_id', 'text'],
                ['contents', 'contents', 'json'],
            ],
            'sort': ['event_time', 'event_id'],
        },
        'the_trade_desk': {
            'model': 'export_the_trade_desk',
            'paid_media': true,
            'grain': 'conversion_identifier',
            'window_var': 'export_the_trade_desk_window_days',
            'max_window_days': 25,
            'required_any': ['email_uid2_base64', 'phone_uid2_base64'],
            'country': 'US',
            'required_vars': [['export_the_trade_desk_tracking_tag_id', 'TrackingTagId']],
            'business_columns': ['tracking_tag_id', 'order_id', 'country', 'region', 'city', 'export_key'],
            'file_format': 'csv',
            'columns': [
                ['timestamp_utc', 'TimestampUtc', 'text'],
                ['tracking_tag_id', 'TrackingTagId', 'text'],
                ['event_name', 'EventName', 'text'],
                ['value', 'Value', 'number'],
                ['value_currency', 'ValueCurrency', 'text'],
                ['order_id', 'OrderId', 'text'],
                ['country', 'Country', 'text'],
                ['region', 'Region', 'text'],
                ['city', 'City', 'text'],
                ['email_hash', 'email_hash', 'hash'],
                ['phone_hash', 'phone_hash', 'hash'],
            ],
            'sort': ['timestamp_utc', 'order_id'],
        },
        'tiktok': {
            'model': 'export_tiktok',
            'paid_media': true,
            'grain': 'conversion',
            'window_var': 'export_tiktok_window_days',
            'max_window_days': 28,
            'required_any': ['email_sha256', 'phone_e164_sha256', 'external_id_sha256'],
            'required_vars': [['export_tiktok_event_source_id', 'event_source_id']],
            'business_columns': ['event_source_id', 'event_id', 'order_id', 'shop_id', 'contents', 'export_key'],
            'file_format': 'jsonl',
            'null_policy': 'omit',
            'columns': [
                ['event_source', 'event_source', 'text'],
                ['event_source_id', 'event_source_id', 'text'],
                ['event_name', 'event', 'text'],
                ['event_time', 'event_time', 'number'],
                ['event_id', 'event_id', 'text'],
                ['email', 'email', 'hash'],
                ['phone', 'phone', 'hash'],
                ['external_id', 'external_id', 'hash'],
                ['value', 'value', 'number'],
                ['currency', 'currency', 'text'],
                ['order_id', 'order_id', 'text'],
                ['shop_id', 'shop_id', 'text'],
                ['contents', 'contents', 'json'],
                ['content_type', 'content_type', 'text'],
            ],
            'sort': ['event_time', 'event_id'],
        },
        'pinterest': {
            'model': 'export_pinterest',
            'paid_media': true,
            'grain': 'conversion',
            'window_var': 'export_pinterest_window_days',
            'required_any': ['email_sha256'],
            'file_format': 'csv',
            'max_rows_per_file': 9999999,
            'business_columns': ['order_id', 'export_key'],
            'columns': [
                ['email', 'email', 'hash'],
                ['event_time', 'event_time', 'number'],
                ['event_type', 'event_type', 'text'],
                ['value', 'value', 'number'],
                ['currency', 'currency', 'text'],
                ['order_id', 'order_id', 'text'],
                ['quantity', 'quantity', 'quantity'],
                ['event_source', 'event_source', 'text'],
            ],
            'sort': ['event_time', 'order_id'],
        },
        'snapchat': {
            'model': 'export_snapchat',
            'paid_media': true,
            'grain': 'conversion',
            'window_var': 'export_snapchat_window_days',
            'max_window_days': 28,
            'required_any': ['email_sha256', 'phone_sha256'],
            'business_columns': ['transaction_id', 'export_key'],
            'file_format': 'csv',
            'columns': [
                ['hashed_email', 'hashed_email', 'hash'],
                ['hashed_phone_number', 'hashed_phone_number', 'hash'],
                ['event_type', 'event_type', 'text'],
                ['event_conversion_type', 'event_conversion_type', 'text'],
                ['event_timestamp', 'timestamp', 'text'],
                ['price', 'price', 'number'],
                ['currency', 'currency', 'text'],
                ['number_items', 'number_items', 'quantity'],
                ['transaction_id', 'transaction_id', 'text'],
            ],
            'sort': ['event_timestamp', 'transaction_id'],
        },
        'criteo': {
            'model': 'export_criteo',
            'paid_media': true,
            'grain': 'line',
            'requires_lines': true,
            'business_columns': ['event_id', 'product_id', 'store_id', 'export_key'],
            'window_var': 'export_criteo_window_days',
            'required_any': ['email_sha256', 'external_id_sha256'],
            'file_format': 'csv',
            'columns': [
                ['user_email', 'user_email', 'hash'],
                ['customer_id', 'customer_id', 'hash'],
                ['event_id', 'event_id', 'text'],
                ['event_time', 'event_time', 'text'],
                ['product_id', 'product_id', 'text'],
                ['product_price', 'product_price', 'number'],
                ['product_quantity', 'product_quantity', 'quantity'],
                ['store_id', 'store_id', 'text'],
                ['currency', 'currency', 'text'],
            ],
            'sort': ['event_time', 'event_id', 'product_id'],
        },
        'google_enhanced_conversions': {
            'model': 'export_google_enhanced_conversions',
            'paid_media': true,
            'grain': 'conversion',
            'window_var': 'export_google_enhanced_conversions_window_days',
            'required_any': ['email_google_sha256', 'phone_e164_sha256'],
            'business_columns': ['order_id', 'export_key'],
            'file_format': 'csv',
            'columns': [
                ['order_id', 'order_id', 'text'],
                ['conversion_date_time', 'conversion_date_time', 'text'],
                ['conversion_value', 'conversion_value', 'number'],
                ['currency_code', 'currency_code', 'text'],
                ['hashed_email', 'hashed_email', 'hash'],
                ['hashed_phone_number', 'hashed_phone_number', 'hash'],
            ],
            'sort': ['conversion_date_time', 'order_id'],
        },
        'braze': {
            'model': 'export_braze',
            'paid_media': false,
            'grain': 'customer',
            'file_format': 'jsonl',
            'null_policy': 'keep',
            'columns': [
                ['external_id', 'external_id', 'text'],
                ['email', 'email', 'text'],
                ['phone', 'phone', 'text'],
                ['first_name', 'first_name', 'text'],
                ['last_name', 'last_name', 'text'],
                ['home_city', 'home_city', 'text'],
                ['country', 'country', 'text'],
                ['last_order_at', 'last_order_at', 'text'],
                ['lifetime_revenue', 'lifetime_revenue', 'number'],
                ['orders_last_30d', 'orders_last_30d', 'number'],
                ['revenue_last_30d', 'revenue_last_30d', 'number'],
                ['days_since_last_order', 'days_since_last_order', 'number'],
                ['last_campaign_engaged', 'last_campaign_engaged', 'text'],
                ['last_event_type', 'last_event_type', 'text'],
            ],
            'sort': ['external_id'],
        },
        'klaviyo': {
            'model': 'export_klaviyo',
            'paid_media': false,
            'grain': 'customer',
            'file_format': 'jsonl',
            'null_policy': 'omit',
            'columns': [
                ['email', 'email', 'text'],
                ['phone_number', 'phone_number', 'text'],
                ['first_name', 'first_name', 'text'],
                ['last_name', 'last_name', 'text'],
                ['external_id', 'external_id', 'text'],
                ['profile_location', 'location', 'json'],
                ['profile_properties', 'properties', 'json'],
            ],
            'sort': ['email'],
        },
    }) }}
{% endmacro %}

{#- Names of the platforms, optionally only the paid-media ones or those of one grain. -#}
{% macro export_platform_names(paid_media=none) %}
    {%- set names = [] -%}
    {%- for name, p in export_platforms().items() -%}
        {%- if paid_media is none or p['paid_media'] == paid_media -%}
            {%- do names.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}

{#- The same names as a SQL list of string literals ('meta', 'tiktok'), optionally of one grain. -#}
{% macro export_platform_names_sql(paid_media=none, grain=none) %}
    {%- set names = [] -%}
    {%- for name in export_platform_names(paid_media) -%}
        {%- if grain is none or export_platforms()[name]['grain'] == grain -%}
            {%- do names.append("'" ~ name ~ "'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(names | join(', ')) }}
{% endmacro %}

{#- A platform's window in days: its var, cut to the platform's own limit. -#}
{% macro export_window_days(platform) %}
    {%- set p = export_platforms()[platform] -%}
    {%- set days = var(p['window_var']) | int -%}
    {%- if days < 0 -%}
        {{ exceptions.raise_compiler_error("var " ~ p['window_var'] ~ " must be >= 0, got " ~ days) }}
    {%- endif -%}
    {%- if p.get('max_window_days') and days > p['max_window_days'] -%}
        {%- do exceptions.warn("var " ~ p['window_var'] ~ "=" ~ days ~ " exceeds the platform limit; using "
            ~ p['max_window_days']) -%}
        {%- set days = p['max_window_days'] -%}
    {%- endif -%}
    {{ return(days) }}
{% endmacro %}

{#- A platform's first-load window in days (0 = no first-load backfill). -#}
{% macro export_first_load_days(platform) %}
    {%- set p = export_platforms()[platform] -%}
    {%- if not p.get('first_load_var') -%}{{ return(0) }}{%- endif -%}
    {%- set days = var(p['first_load_var']) | int -%}
    {%- if p.get('max_window_days') and days > p['max_window_days'] -%}
        {%- do exceptions.warn("var " ~ p['first_load_var'] ~ "=" ~ days ~ " exceeds the platform limit; using "
            ~ p['max_window_days']) -%}
        {%- set days = p['max_window_days'] -%}
    {%- endif -%}
    {{ return(days if days > export_window_days(platform) else 0) }}
{% endmacro %}

{#- Why a platform's file cannot be sent on this run, '' when it can: an id the brand must
    set (required_vars: The Trade Desk TrackingTagId, TikTok event_source_id) is empty. -#}
{% macro export_not_ready_reason(platform) %}
    {%- set reasons = [] -%}
    {%- for var_name, field in export_platforms()[platform].get('required_vars', []) -%}
        {%- set value = var(var_name, '') -%}
        {%- if value is none or not (value | string | trim) -%}
            {%- do reasons.append('var ' ~ var_name ~ ' is empty (' ~ field ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(reasons | join('; ')) }}
{% endmacro %}
