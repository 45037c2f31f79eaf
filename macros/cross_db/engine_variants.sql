{#- Engine variants of dbt's own cross-database macros where the adapter's version does not
    give the same result as DuckDB's (the root project wins adapter.dispatch for `dbt`). -#}

{#- dbt.listagg with an order on Spark: dbt-spark ignores `order_by_clause` (it warns, and
    collect_list's order is whatever the shuffle gives), so an ordered string/JSON array
    differs from DuckDB's from run to run. This version sorts the collected (keys..., value)
    structs: ascending keys, then the value itself for ties. `order_by_clause` is
    "order by a, b" with plain ascending expressions (DESC / NULLS are refused). A group
    without non-NULL values gives NULL (dbt-spark's gives ''), as on DuckDB and PostgreSQL. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if not order_by_clause -%}
        {%- set collected = "collect_list(" ~ measure ~ ")" -%}
    {%- else -%}
        {%- set clause = order_by_clause | trim -%}
        {%- if clause[:8] | lower == 'order by' -%}{%- set clause = clause[8:] -%}{%- endif -%}
        {%- set ns = namespace(depth=0, quote=false, part='', parts=[]) -%}
        {%- for ch in clause -%}
            {%- if ch == "'" -%}{%- set ns.quote = not ns.quote -%}{%- endif -%}
            {%- if not ns.quote and ch == '(' -%}{%- set ns.depth = ns.depth + 1 -%}{%- endif -%}
            {%- if not ns.quote and ch == ')' -%}{%- set ns.depth = ns.depth - 1 -%}{%- endif -%}
            {%- if not ns.quote and ns.depth == 0 and ch == ',' -%}
                {%- set ns.parts = ns.parts + [ns.part | trim] -%}{%- set ns.part = '' -%}
            {%- else -%}
                {%- set ns.part = ns.part ~ ch -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set ns.parts = ns.parts + [ns.part | trim] -%}
        {%- set fields = [] -%}
        {%- for p in ns.parts -%}
            {%- set low = p | lower -%}
            {%- if low.endswith(' desc') or ' nulls ' in (' ' ~ low ~ ' ') -%}
                {{ exceptions.raise_compiler_error("spark__listagg: only ascending order keys are supported, got '" ~ p ~ "'") }}
            {%- endif -%}
            {%- if low.endswith(' asc') -%}{%- set p = p[:-4] -%}{%- endif -%}
            {%- do fields.append(p ~ " as k" ~ loop.index) -%}
        {%- endfor -%}
        {%- set collected = "transform(array_sort(collect_list(case when (" ~ measure ~ ") is not null then struct("
            ~ (fields | join(', ')) ~ ", " ~ measure ~ " as v) end)), x -> x.v)" -%}
    {%- endif -%}
    {%- if limit_num -%}
        {%- set collected = "slice(" ~ collected ~ ", 1, " ~ limit_num ~ ")" -%}
    {%- endif -%}
    {#- NULL for a group without non-NULL values, as string_agg on DuckDB and PostgreSQL -#}
    {{ return("case when size(" ~ collected ~ ") > 0 then array_join(" ~ collected ~ ", " ~ delimiter_text ~ ") end") }}
{%- endmacro %}
