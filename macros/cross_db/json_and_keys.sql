{#- JSON field access: the value of a top-level key as text. -#}
{% macro json_get_text(json_expr, key) -%}
    {{ return(adapter.dispatch('json_get_text', 'closedloop')(json_expr, key)) }}
{%- endmacro %}
{% macro default__json_get_text(json_expr, key) -%}
    json_extract_string({{ json_expr }}, {{ closedloop.sql_string('$.' ~ key) }})
{%- endmacro %}
{% macro spark__json_get_text(json_expr, key) -%}
    get_json_object({{ json_expr }}, {{ closedloop.sql_string('$.' ~ key) }})
{%- endmacro %}
{% macro postgres__json_get_text(json_expr, key) -%}
    (cast({{ json_expr }} as json) ->> {{ closedloop.sql_string(key) }})
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

{#- Aggregate: merges JSON objects key by key in `order_expr` order (a later non-NULL value of
    a key wins; keys absent from a later object keep their value) — the feed's merge rule
    applied to custom attributes. Keys come out sorted, so the text is the same everywhere. -#}
{% macro merge_json_objects(expr, order_expr) -%}
    {{ return(adapter.dispatch('merge_json_objects', 'closedloop')(expr, order_expr)) }}
{%- endmacro %}
{% macro default__merge_json_objects(expr, order_expr) -%}
    cast(to_json(map_from_entries(list_sort(map_entries(list_reduce(
        list(cast(cast({{ expr }} as json) as map(varchar, varchar)) order by {{ order_expr }})
            filter (where {{ expr }} is not null),
        (x, y) -> map_concat(x, map_from_entries(list_filter(map_entries(y),
            e -> e.value is not null or not list_contains(map_keys(x), e.key))))))))) as varchar)
{%- endmacro %}
{#- Spark and PostgreSQL: per key, the value of the latest object where it is not NULL; a key
    that is NULL everywhere stays, as NULL; keys sorted; NULL when no object (as DuckDB).
    The fold skips NULL rows (collect_list of a NULL struct would make the whole map NULL). -#}
{% macro spark__merge_json_objects(expr, order_expr) -%}
    case when count({{ expr }}) > 0 then to_json(map_from_entries(array_sort(map_entries(aggregate(
        transform(
            array_sort(collect_list(case when {{ expr }} is not null then struct({{ order_expr }} as o, {{ expr }} as j) end)),
            s -> from_json(s.j, 'map<string,string>')),
        cast(map() as map<string, string>),
        (acc, m) -> map_concat(
            map_filter(acc, (k, v) -> not (array_contains(map_keys(m), k) and element_at(m, k) is not null)),
            map_filter(m, (k, v) -> v is not null or not array_contains(map_keys(acc), k)))))))) end
{%- endmacro %}
{% macro postgres__merge_json_objects(expr, order_expr) -%}
    (
        select '{' || string_agg(
                cast(to_json(e.k) as text) || ':' || coalesce(cast(to_json(e.v) as text), 'null'),
                ',' order by e.k collate "C") || '}'
        from (
            select distinct on (kv.key) kv.key as k, kv.value as v
            from unnest(array_agg({{ expr }} order by {{ order_expr }} desc) filter (where {{ expr }} is not null))
                with ordinality as a (j, n)
            cross join lateral json_each_text(cast(a.j as json)) as kv
            order by kv.key, (kv.value is null), a.n
        ) as e
    )
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
