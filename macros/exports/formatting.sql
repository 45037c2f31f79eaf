{#- Value formats the platforms ask for. Timestamps are UTC (the warehouse keeps UTC). -#}

{#- UTC timestamp -> text in one of the export formats:
      iso_utc     2026-10-04T18:00:00Z          (The Trade Desk, Snapchat, Criteo, Braze, Klaviyo)
      offset_utc  2026-10-04 18:00:00+00:00     (Google Ads: yyyy-mm-dd hh:mm:ss+|-hh:mm) -#}
{% macro export_format_timestamp(ts_expr, fmt='iso_utc') -%}
    {%- if fmt not in ('iso_utc', 'offset_utc') -%}
        {{ exceptions.raise_compiler_error("export_format_timestamp: unknown format " ~ fmt) }}
    {%- endif -%}
    {{ return(adapter.dispatch('export_format_timestamp', 'closedloop')(ts_expr, fmt)) }}
{%- endmacro %}
{% macro default__export_format_timestamp(ts_expr, fmt) -%}
    {%- set pattern = '%Y-%m-%dT%H:%M:%SZ' if fmt == 'iso_utc' else '%Y-%m-%d %H:%M:%S+00:00' -%}
    {{ return("strftime(" ~ ts_expr ~ ", '" ~ pattern ~ "')") }}
{%- endmacro %}
{% macro postgres__export_format_timestamp(ts_expr, fmt) -%}
    {%- set pattern = 'YYYY-MM-DD"T"HH24:MI:SS"Z"' if fmt == 'iso_utc' else 'YYYY-MM-DD HH24:MI:SS"+00:00"' -%}
    {{ return("to_char(" ~ ts_expr ~ ", '" ~ pattern ~ "')") }}
{%- endmacro %}
{% macro spark__export_format_timestamp(ts_expr, fmt) -%}
    {%- set date_part = "date_format(" ~ ts_expr ~ ", 'yyyy-MM-dd')" -%}
    {%- set time_part = "date_format(" ~ ts_expr ~ ", 'HH:mm:ss')" -%}
    {%- if fmt == 'iso_utc' -%}
        {{ return("concat(" ~ date_part ~ ", 'T', " ~ time_part ~ ", 'Z')") }}
    {%- else -%}
        {{ return("concat(" ~ date_part ~ ", ' ', " ~ time_part ~ ", '+00:00')") }}
    {%- endif -%}
{%- endmacro %}

{#- Money sent to a platform: decimal with 2 places. -#}
{% macro export_money(expr) -%}
    cast({{ expr }} as decimal(18, 2))
{%- endmacro %}

{#- An order id a platform caps in length (The Trade Desk: 64): kept when short enough, else
    the SHA-256 hex of it (64 characters, stable). -#}
{% macro export_capped_id(expr, max_length=64) -%}
    case
        when length({{ expr }}) <= {{ max_length }} then {{ expr }}
        else {{ sha256_hex(expr) }}
    end
{%- endmacro %}

{#- An id the platform issues to the brand, from a text var (The Trade Desk tracking tag, TikTok
    event set): a string literal of the trimmed value, or NULL text while the var is empty. -#}
{% macro export_var_literal(var_name) -%}
    {%- set value = var(var_name) | string | trim -%}
    {%- if value -%}
        {{ closedloop.sql_string(value) }}
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}
