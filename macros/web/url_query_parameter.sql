{#- Query-string parameters of a page URL (UTM tags, click ids such as gclid / fbclid).

    Why a macro: landing-page URLs arrive as raw text, written by ad platforms, email tools
    and people. Every engine has a different (or no) URL parser, so the rule is spelled out
    here once and built from portable pieces; tests/python/test_url_parameters.py checks it
    against Python's urllib.parse.

    The rule of url_query_parameter(url, name):
    * The query string is the text after the first '?' of the part before the first '#'.
      The fragment is never read ('...#utm_source=x' has no utm_source); no '?', no query.
    * Pairs are separated by '&'. A pair is `key=value` split at its first '=' (the value may
      hold more '='); a pair without '=' is not a parameter.
    * The key is compared with `name` literally (no decoding) and ignoring A-Z / a-z case:
      'UTM_Source=' is utm_source. The FIRST matching pair wins, even when its value is empty.
    * The value is decoded by url_decode: '+' is a space and %XX escapes are UTF-8 bytes.
      A value that cannot be decoded (a '%' not followed by two hex digits, bytes that are not
      UTF-8, or %00, which PostgreSQL text cannot hold) is returned exactly as written.
    * An empty value, an absent parameter, a URL without query and a NULL URL give NULL.
      Nothing is trimmed.

    `url_expression` is a SQL expression (a column). `parameter_name` is a Jinja string of
    letters, digits and '_-.~[]'; it reaches SQL only as a literal (sql_string). -#}
{% macro url_query_parameter(url_expression, parameter_name) -%}
    {%- set allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.~[]" -%}
    {%- if parameter_name is not string or parameter_name | length == 0
           or parameter_name | list | reject('in', allowed) | list | length > 0 -%}
        {{ exceptions.raise_compiler_error("url_query_parameter: parameter_name must be a non-empty string of "
            ~ "letters, digits and '_-.~[]', got " ~ parameter_name) }}
    {%- endif -%}
    {#- '&name=' in lower case (the name is ASCII, so Jinja's lower is A-Z -> a-z only) -#}
    {%- set key = closedloop.sql_string('&' ~ (parameter_name | lower) ~ '=') -%}
    {%- set before_fragment = dbt.split_part(url_expression, "'#'", 1) -%}
    {%- set question_mark = dbt.position("'?'", before_fragment) -%}
    {#- '&' + query + '&name=': every pair is preceded by '&', and the key is always found -
        at the end when the query lacks it, where it is followed by nothing (an empty value,
        so NULL). No match can run from the query into the appended key: '&' is only the
        key's first character and '=' only its last, so no part of its end equals its start. -#}
    {%- set haystack = "case when " ~ question_mark ~ " > 0 then "
        ~ dbt.concat(["'&'", "substr(" ~ before_fragment ~ ", " ~ question_mark ~ " + 1)", key]) ~ " end" -%}
    {#- position in the A-Z -> a-z translation (same length, unlike lower() on some engines) -#}
    {%- set found = dbt.position(key, "translate(" ~ haystack
        ~ ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')") -%}
    {%- set after_key = "substr(" ~ haystack ~ ", " ~ found ~ " + " ~ dbt.length(key) ~ ")" -%}
    {%- set raw_value = dbt.split_part(after_key, "'&'", 1) -%}
    {{ return(closedloop.url_decode("nullif(" ~ raw_value ~ ", '')")) }}
{%- endmacro %}


{#- A URL-encoded text -> its decoded text ('+' is a space, %XX escapes are UTF-8 bytes), or
    the text exactly as written when it cannot be decoded: a '%' not followed by two hex
    digits, escaped bytes that are not UTF-8 (overlong forms and surrogates included), or %00.
    NULL in, NULL out; '' stays ''. `expression` is a SQL expression. -#}
{% macro url_decode(expression) -%}
    {{ return(adapter.dispatch('url_decode', 'closedloop')(expression)) }}
{%- endmacro %}

{#- Boolean: `expression` cannot be decoded. Every escaped multi-byte UTF-8 character is
    replaced by '~' (a character that is neither '%' nor a hex digit, so nothing new can form
    around it); what is left must hold only '%' + two hex digits of an ASCII byte other
    than 00. -#}
{% macro url_undecodable(expression) -%}
    {%- set h = "[0-9A-Fa-f]" -%}
    {%- set cont = "%[89ABab]" ~ h -%}
    {%- set utf8_multibyte = [
        "%[Cc][2-9A-Fa-f]" ~ cont,
        "%[Dd]" ~ h ~ cont,
        "%[Ee]0%[AaBb]" ~ h ~ cont,
        "%[Ee][1-9A-Ca-cEeFf]" ~ cont ~ cont,
        "%[Ee][Dd]%[89]" ~ h ~ cont,
        "%[Ff]0%[9AaBb]" ~ h ~ cont ~ cont,
        "%[Ff][1-3]" ~ cont ~ cont ~ cont,
        "%[Ff]4%8" ~ h ~ cont ~ cont,
    ] | join("|") -%}
    {{ return(closedloop.regexp_contains(closedloop.regexp_replace_all(expression, utf8_multibyte, "~"),
        "%([^0-7]|[0-7][^0-9A-Fa-f]|[0-7]?$|00)")) }}
{%- endmacro %}

{#- DuckDB: url_decode keeps '+' (so it is replaced first) and raises on invalid UTF-8 (the
    guard keeps such values away; try() is a second net). -#}
{% macro duckdb__url_decode(expression) -%}
    {{ return("case when " ~ closedloop.url_undecodable(expression) ~ " then " ~ expression
        ~ " else coalesce(try(url_decode(replace(" ~ expression ~ ", '+', ' '))), " ~ expression ~ ") end") }}
{%- endmacro %}

{#- Spark: try_url_decode (java.net.URLDecoder) turns '+' into a space itself and gives NULL
    for a malformed escape, but silently turns invalid UTF-8 into U+FFFD - hence the guard. -#}
{% macro spark__url_decode(expression) -%}
    {{ return("case when " ~ closedloop.url_undecodable(expression) ~ " then " ~ expression
        ~ " else coalesce(try_url_decode(" ~ expression ~ "), " ~ expression ~ ") end") }}
{%- endmacro %}

{#- PostgreSQL has no URL decoder: the text is cut into escapes and runs of other characters
    (in order), each becomes hex (an escape is its own two digits, other text its UTF-8
    bytes), and the joined bytes are read as UTF-8. The guard makes convert_from safe.
    Assumes a UTF8 database. -#}
{% macro postgres__url_decode(expression) -%}
    {%- set parts = "regexp_matches(replace(" ~ expression ~ ", '+', ' '), "
        ~ closedloop.regex_string_literal("%[0-9A-Fa-f]{2}|[^%]+") ~ ", 'g') with ordinality as url_part(m, n)" -%}
    {%- set hex = "case when left(url_part.m[1], 1) = '%' then substr(url_part.m[1], 2)"
        ~ " else encode(convert_to(url_part.m[1], 'UTF8'), 'hex') end" -%}
    {{ return("case when " ~ closedloop.url_undecodable(expression) ~ " then " ~ expression
        ~ " else coalesce((select convert_from(decode(string_agg(" ~ hex ~ ", '' order by url_part.n), 'hex'), 'UTF8')"
        ~ " from " ~ parts ~ "), " ~ expression ~ ") end") }}
{%- endmacro %}

{% macro default__url_decode(expression) -%}
    {{ exceptions.raise_compiler_error("url_decode: no variant for adapter " ~ adapter.type()) }}
{%- endmacro %}
