{#- SQL that repeats once per platform (unions over the platforms of export_platforms()),
    kept here so that the models and tests that use them stay plain SQL. -#}

{#- Conversions inside each paid-media platform's window, with the platform's event name
    (export_prep__candidates). Expects CTEs `conversions` and `event_map`. -#}
{% macro export_candidates_in_window() %}
    {%- set platforms = export_platforms() -%}
    {%- for platform in export_platform_names(paid_media=true) %}
    {%- set p = platforms[platform] %}
    select
        event_map.platform,
        event_map.platform_event_name,
        conversions.*
    from conversions
    inner join event_map
        on conversions.conversion_type = event_map.cdp_event_type
        and event_map.platform = '{{ platform }}'
    where {{ export_in_window('conversions.event_at', export_effective_window_days(platform)) }}
    {%- if p.get('website_max_days') %}
        and (conversions.conversion_channel <> 'web'
            or conversions.event_at >= {{ export_window_start(p['website_max_days']) }})
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}

{#- The reason a candidate conversion is not exported to its platform (NULL = exported): the
    first that applies of consent, the platform's country, identifier and line rules. -#}
{% macro export_exclusion_reason() %}
    {%- set platforms = export_platforms() -%}
    case
        when consent_customer_id is null then 'unknown_customer'
        when is_deleted then 'customer_deleted'
        when do_not_sell then 'do_not_sell'
        {%- for platform in export_platform_names(paid_media=true) %}
        {%- set p = platforms[platform] %}
        {%- if p.get('country') %}
        when platform = '{{ platform }}' and coalesce(upper(organization_country_code), '') <> '{{ p["country"] }}'
            then 'store_outside_{{ p["country"] | lower }}'
        {%- endif %}
        when platform = '{{ platform }}' and {{ p['required_any'] | join(' is null and ') }} is null
            then 'no_usable_identifier'
        {%- if p.get('requires_lines') %}
        when platform = '{{ platform }}' and number_items is null then 'no_product_lines'
        {%- endif %}
        {%- endfor %}
    end
{% endmacro %}

{#- One select per platform (all, or paid_media true / false, or grain not 'customer' with
    events_only) over its export model (suffix '' ) or delta (suffix '_delta'), with a
    `platform` column and the given columns. -#}
{% macro export_union(columns, suffix='', paid_media=none, events_only=false) %}
    {%- set platforms = export_platforms() -%}
    {%- set selected = [] -%}
    {%- for platform in export_platform_names(paid_media=paid_media) -%}
        {%- if not (events_only and platforms[platform]['grain'] == 'customer') -%}
            {%- do selected.append(platform) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for platform in selected %}
    select
        '{{ platform }}' as platform,
        {{ columns | join(',\n        ') }}
    from {{ ref(platforms[platform]['model'] ~ suffix) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}

{#- What each delta sends, for export_ledger: one row per platform and export_key (Braze /
    Klaviyo with the attributes_hash sent) and the number of file rows. -#}
{% macro export_ledger_sent() %}
    {%- for platform, p in export_platforms().items() %}
    select
        '{{ platform }}' as platform,
        export_key as event_id,
        {%- if p['grain'] == 'customer' %}
        attributes_hash,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as attributes_hash,
        {%- endif %}
        count(*) as file_rows
    from {{ ref(p['model'] ~ '_delta') }}
    group by export_key{{ ', attributes_hash' if p['grain'] == 'customer' }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}

{#- Rows of the full window set (`exported`) per platform (`sent` comes from the ledger). -#}
{% macro export_file_row_counts() %}
    {%- for platform, p in export_platforms().items() %}
    select '{{ platform }}' as platform, 'exported' as reason, count(*) as row_count
    from {{ ref(p['model']) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}

{#- The file layout as rows: one per platform and file column (export_layout). -#}
{% macro export_layout_rows() %}
    {%- set rows = [] -%}
    {%- for platform, p in export_platforms().items() -%}
        {%- for column_name, header_name, kind in p['columns'] -%}
            {%- do rows.append(
                "select '" ~ platform ~ "' as platform, '" ~ p['model'] ~ "' as model_name, '"
                ~ p['model'] ~ "_delta' as delta_model_name, '" ~ p['file_format'] ~ "' as file_format, '"
                ~ p.get('null_policy', 'empty') ~ "' as null_policy, "
                ~ "cast(" ~ p.get('max_rows_per_file', 'null') ~ " as " ~ dbt.type_bigint() ~ ") as max_rows_per_file, "
                ~ loop.index ~ " as column_position, '" ~ column_name ~ "' as column_name, '"
                ~ header_name ~ "' as header_name, '" ~ kind ~ "' as value_kind, "
                ~ "cast(" ~ ((p['sort'].index(column_name) + 1) if column_name in p['sort'] else 'null')
                ~ " as " ~ dbt.type_int() ~ ") as sort_position") -%}
        {%- endfor -%}
    {%- endfor %}
    {{ rows | join('\n    union all\n    ') }}
{% endmacro %}

{#- Rows of the paid-media exports outside their platform's window (both edges; Meta
    website purchases older than 7 days), for the window test. -#}
{% macro export_rows_outside_window() %}
    {%- set platforms = export_platforms() -%}
    {%- for platform in export_platform_names(paid_media=true) %}
    {%- set p = platforms[platform] %}
    select
        '{{ platform }}' as platform,
        export_rows.export_key,
        export_rows.event_at
    from {{ ref(p['model']) }} as export_rows
    where not {{ export_in_window('export_rows.event_at', export_effective_window_days(platform)) }}
    {%- if p.get('website_max_days') %}
        or (export_rows.event_at < {{ export_window_start(p['website_max_days']) }}
            and export_rows.export_key in (
                select web_orders.transaction_id from {{ ref('fct_transactions') }} as web_orders
                where web_orders.organization_type = 'web'))
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}

{#- Every column of every paid-media export table as text, for the clear-text test: platform,
    column_name, is_business_column (the column is one of the platform's business_columns:
    order / product / store values, never from the customer record), cdp_customer_id (the
    row's customer) and scanned_value. Reads the columns from the warehouse. -#}
{% macro export_scan_paid_media_columns() %}
    {%- set platforms = export_platforms() -%}
    {%- set branches = [] -%}
    {%- for platform in export_platform_names(paid_media=true) -%}
        {%- set relation = ref(platforms[platform]['model']) -%}
        {%- set business = platforms[platform].get('business_columns', []) -%}
        {%- if execute -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- do branches.append("select '" ~ platform ~ "' as platform, '" ~ column.name
                    ~ "' as column_name, " ~ ('true' if column.name | lower in business else 'false')
                    ~ " as is_business_column, cdp_customer_id, cast(" ~ column.name ~ " as " ~ dbt.type_string()
                    ~ ") as scanned_value from " ~ relation) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not branches -%}
        {%- do branches.append("select cast(null as " ~ dbt.type_string() ~ ") as platform, cast(null as "
            ~ dbt.type_string() ~ ") as column_name, false as is_business_column, cast(null as "
            ~ dbt.type_string() ~ ") as cdp_customer_id, cast(null as "
            ~ dbt.type_string() ~ ") as scanned_value") -%}
    {%- endif %}
    {{ branches | join('\n    union all\n    ') }}
{% endmacro %}
