{#- Safe parsers: an unparseable value becomes NULL instead of failing the build; the base
    models compare raw vs parsed to tell "absent" from "invalid". One dispatch per engine. -#}

{#- Text cleaning: trimmed, empty string as NULL (docs/feed-contract.md: empty means NULL). -#}
{% macro clean_text(expr) -%}
    {{ return(adapter.dispatch('clean_text', 'closedloop')(expr)) }}
{%- endmacro %}
{% macro default__clean_text(expr) -%}
    nullif(trim({{ expr }}), '')
{%- endmacro %}
{#- DuckDB's trim() strips every Unicode space separator (category Zs: U+0020, no-break space
    U+00A0, U+1680, U+2000..U+200A, U+202F, U+205F, U+3000), not tabs; Spark's trim() and
    PostgreSQL's btrim() strip U+0020 only unless given the set: the same set here. -#}
{% macro unicode_space_chars() -%}
    {{ return(" \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000") }}
{%- endmacro %}
{% macro spark__clean_text(expr) -%}
    nullif(trim(both '{{ closedloop.unicode_space_chars() }}' from {{ expr }}), '')
{%- endmacro %}
{% macro postgres__clean_text(expr) -%}
    nullif(btrim({{ expr }}, '{{ closedloop.unicode_space_chars() }}'), '')
{%- endmacro %}

{% macro safe_to_decimal(expr, precision=18, scale=4) -%}
    {{ return(adapter.dispatch('safe_to_decimal', 'closedloop')(expr, precision, scale)) }}
{%- endmacro %}
{% macro default__safe_to_decimal(expr, precision, scale) -%}
    try_cast({{ expr }} as decimal({{ precision }}, {{ scale }}))
{%- endmacro %}
{#- A plain decimal number only: DuckDB's try_cast would also take '0x1F' or '1_000'. -#}
{% macro duckdb__safe_to_decimal(expr, precision, scale) -%}
    case when regexp_full_match(trim({{ expr }}), '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)')
        then try_cast(trim({{ expr }}) as decimal({{ precision }}, {{ scale }})) end
{%- endmacro %}
{% macro spark__safe_to_decimal(expr, precision, scale) -%}
    case when trim({{ expr }}) rlike '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$'
        then try_cast(trim({{ expr }}) as decimal({{ precision }}, {{ scale }})) end
{%- endmacro %}
{#- PostgreSQL has no try_cast: closedloop_try_numeric (macros/landing/engine_setup.sql) is NULL
    on an out-of-range value instead of failing the statement. -#}
{% macro postgres__safe_to_decimal(expr, precision, scale) -%}
    case when trim({{ expr }}) ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$'
        then cast({{ target.schema }}.closedloop_try_numeric({{ expr }}, {{ precision }}, {{ scale }})
            as decimal({{ precision }}, {{ scale }})) end
{%- endmacro %}

{% macro safe_to_integer(expr) -%}
    {{ return(adapter.dispatch('safe_to_integer', 'closedloop')(expr)) }}
{%- endmacro %}
{% macro default__safe_to_integer(expr) -%}
    try_cast({{ expr }} as {{ dbt.type_bigint() }})
{%- endmacro %}
{#- Digits only: DuckDB's try_cast would round '12.5' to 13. -#}
{% macro duckdb__safe_to_integer(expr) -%}
    case when regexp_full_match(trim({{ expr }}), '[+-]?[0-9]{1,18}')
        then try_cast(trim({{ expr }}) as {{ dbt.type_bigint() }}) end
{%- endmacro %}
{% macro spark__safe_to_integer(expr) -%}
    case when trim({{ expr }}) rlike '^[+-]?[0-9]{1,18}$'
        then try_cast(trim({{ expr }}) as {{ dbt.type_bigint() }}) end
{%- endmacro %}
{% macro postgres__safe_to_integer(expr) -%}
    case when trim({{ expr }}) ~ '^[+-]?[0-9]{1,18}$' then cast(trim({{ expr }}) as bigint) end
{%- endmacro %}

{#- ISO-8601 text (date, or date-time with 'Z', an offset or none = UTC) -> UTC timestamp. -#}
{% macro parse_timestamp_utc(expr) -%}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'closedloop')(expr)) }}
{%- endmacro %}
{#- Only ISO-8601 shapes are parsed (DuckDB would also take 'infinity' or 'epoch'); a value
    with 'Z' or an offset is converted to UTC, one without is UTC already, whatever the
    session time zone. -#}
{% macro default__parse_timestamp_utc(expr) -%}
    case
        when regexp_full_match({{ expr }},
            '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)')
            then timezone('UTC', try_cast({{ expr }} as timestamptz))
        when regexp_full_match({{ expr }}, '[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?')
            then try_cast({{ expr }} as timestamp)
    end
{%- endmacro %}
{% macro spark__parse_timestamp_utc(expr) -%}
    try_to_timestamp({{ expr }})
{%- endmacro %}
{#- The format check keeps PostgreSQL's liberal input syntax out ('today', 'epoch'); the
    closedloop_try_* functions (macros/landing/engine_setup.sql) turn an impossible date
    (30 February) into NULL. A value without offset is UTC whatever the session time zone. -#}
{% macro postgres__parse_timestamp_utc(expr) -%}
    case when {{ expr }} ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$'
        then case when {{ expr }} ~ '[T ][0-9:.]+(Z|[+-][0-9:]+)$'
            then {{ target.schema }}.closedloop_try_timestamptz({{ expr }}) at time zone 'UTC'
            else {{ target.schema }}.closedloop_try_timestamp({{ expr }}) end
    end
{%- endmacro %}

{#- Epoch milliseconds (text) -> UTC timestamp. -#}
{% macro epoch_ms_to_timestamp(expr) -%}
    {{ return(adapter.dispatch('epoch_ms_to_timestamp', 'closedloop')(expr)) }}
{%- endmacro %}
{% macro default__epoch_ms_to_timestamp(expr) -%}
    epoch_ms(try_cast({{ expr }} as bigint))
{%- endmacro %}
{% macro spark__epoch_ms_to_timestamp(expr) -%}
    timestamp_millis(try_cast({{ expr }} as bigint))
{%- endmacro %}
{% macro postgres__epoch_ms_to_timestamp(expr) -%}
    case when trim({{ expr }}) ~ '^-?[0-9]{1,15}$'
        then cast('1970-01-01 00:00:00' as timestamp) + cast(trim({{ expr }}) as bigint) * interval '1 millisecond' end
{%- endmacro %}

{#- UTC timestamp -> epoch seconds (bigint). -#}
{% macro epoch_seconds(expr) -%}
    {{ return(adapter.dispatch('epoch_seconds', 'closedloop')(expr)) }}
{%- endmacro %}
{#- Whole seconds, truncated (what a Unix time means; Spark truncates too). -#}
{% macro default__epoch_seconds(expr) -%}
    cast(floor(epoch({{ expr }})) as bigint)
{%- endmacro %}
{% macro spark__epoch_seconds(expr) -%}
    unix_timestamp({{ expr }})
{%- endmacro %}
{% macro postgres__epoch_seconds(expr) -%}
    cast(floor(extract(epoch from {{ expr }})) as bigint)
{%- endmacro %}

{#- UTC timestamp -> epoch milliseconds (bigint), sub-millisecond digits truncated (Meta's fbc
    creation time). -#}
{% macro epoch_milliseconds(expr) -%}
    {{ return(adapter.dispatch('epoch_milliseconds', 'closedloop')(expr)) }}
{%- endmacro %}
{% macro default__epoch_milliseconds(expr) -%}
    epoch_ms({{ expr }})
{%- endmacro %}
{% macro spark__epoch_milliseconds(expr) -%}
    unix_millis({{ expr }})
{%- endmacro %}
{% macro postgres__epoch_milliseconds(expr) -%}
    cast(floor(extract(epoch from {{ expr }}) * 1000) as bigint)
{%- endmacro %}

{#- Feed booleans: true/1/Y/yes/t and false/0/N/no/f, any case; anything else NULL. -#}
{% macro parse_boolean(expr) -%}
    case
        when lower(trim({{ expr }})) in ('true', '1', 'y', 'yes', 't') then true
        when lower(trim({{ expr }})) in ('false', '0', 'n', 'no', 'f') then false
    end
{%- endmacro %}
