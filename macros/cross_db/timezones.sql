{#- UTC timestamp -> wall-clock time / calendar date in an IANA time zone.

    `timestamp_expr` is a SQL expression holding a UTC timestamp WITHOUT time zone (what every
    staging model stores). `tz` is the IANA zone NAME (a Jinja string, not SQL), default the
    var `reporting_timezone`. Daylight-saving time is handled by the engine's zone database.
    DuckDB: timezone(tz, timestamptz) (the inner timezone('UTC', ts) marks the naive value as
    UTC first); Spark: from_utc_timestamp; PostgreSQL: AT TIME ZONE twice. -#}

{% macro utc_to_local_timestamp(timestamp_expr, tz=none) -%}
    {%- set tz_name = tz if tz else var('reporting_timezone') -%}
    {{ return(adapter.dispatch('utc_to_local_timestamp', 'closedloop')(timestamp_expr, tz_name)) }}
{%- endmacro %}
{% macro default__utc_to_local_timestamp(timestamp_expr, tz_name) -%}
    timezone({{ closedloop.sql_string(tz_name) }}, timezone('UTC', {{ timestamp_expr }}))
{%- endmacro %}
{% macro spark__utc_to_local_timestamp(timestamp_expr, tz_name) -%}
    from_utc_timestamp({{ timestamp_expr }}, {{ closedloop.sql_string(tz_name) }})
{%- endmacro %}
{% macro postgres__utc_to_local_timestamp(timestamp_expr, tz_name) -%}
    (({{ timestamp_expr }}) at time zone 'UTC') at time zone {{ closedloop.sql_string(tz_name) }}
{%- endmacro %}

{#- The calendar date of a UTC timestamp in a time zone (default var `reporting_timezone`). -#}
{% macro utc_to_local_date(timestamp_expr, tz=none) -%}
    cast({{ utc_to_local_timestamp(timestamp_expr, tz) }} as date)
{%- endmacro %}
