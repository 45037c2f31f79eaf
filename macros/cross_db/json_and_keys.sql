{#- JSON field access: the value of a top-level key as text. -#}
{% macro json_get_text(json_expr, key) -%}
    {{ return(adapter.dispatch('json_get_text', 'closedloop')(json_expr, key)) }}
{%- endmacro %}
{% macro default__json_get_text(json_expr, key) -%}
    json_extract_string({{ json_expr }}, '$.{{ key }}')
{%- endmacro %}
{% macro spark__json_get_text(json_expr, key) -%}
    get_json_object({{ json_expr }}, '$.{{ key }}')
{%- endmacro %}
{% macro postgres__json_get_text(json_expr, key) -%}
    (cast({{ json_expr }} as json) ->> '{{ key }}')
{%- endmacro %}

{#- Aggregate: the value of `expr` on the row with the highest `order_expr` among rows
    where `expr` is not NULL — the feed's "latest non-NULL value wins" merge rule. -#}
{% macro latest_non_null(expr, order_expr) -%}
    {{ return(adapter.dispatch('latest_non_null', 'closedloop')(expr, order_expr)) }}
{%- endmacro %}
{% macro default__latest_non_null(expr, order_expr) -%}
    arg_max({{ expr }}, {{ order_expr }}) filter (where {{ expr }} is not null)
{%- endmacro %}
{% macro spark__latest_non_null(expr, order_expr) -%}
    max_by({{ expr }}, {{ order_expr }}) filter (where {{ expr }} is not null)
{%- endmacro %}
{% macro postgres__latest_non_null(expr, order_expr) -%}
    (array_agg({{ expr }} order by {{ order_expr }} desc) filter (where {{ expr }} is not null))[1]
{%- endmacro %}

{#- Stable surrogate key: md5 over the text of the fields, NULL spelled out, fields separated. -#}
{% macro surrogate_key(fields) -%}
    {%- set parts = [] -%}
    {%- for f in fields -%}
        {%- if not loop.first -%}{%- do parts.append("'|'") -%}{%- endif -%}
        {%- do parts.append("coalesce(cast(" ~ f ~ " as " ~ dbt.type_string() ~ "), '_null_')") -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
