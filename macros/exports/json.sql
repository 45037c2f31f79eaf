{#- JSON text built in SQL for the JSON fields of the exports (Meta / TikTok `contents`,
    Klaviyo `location` and `properties`). The output is plain text with a fixed key order and
    numbers as the engine prints the typed value (decimal(18,2) -> 12.50), so the same rows
    always give the same bytes. Engine-specific parts go through adapter.dispatch. -#}

{#- A JSON string literal of a text expression (quotes, backslashes and control characters
    escaped); NULL in, NULL out. -#}
{% macro export_json_string(expr) -%}
    {{ return(adapter.dispatch('export_json_string', 'closedloop')(expr)) }}
{%- endmacro %}
{% macro default__export_json_string(expr) -%}
    {{ return("cast(to_json(cast(" ~ expr ~ " as " ~ dbt.type_string() ~ ")) as " ~ dbt.type_string() ~ ")") }}
{%- endmacro %}
{% macro postgres__export_json_string(expr) -%}
    {{ return("cast(to_json(cast(" ~ expr ~ " as text)) as text)") }}
{%- endmacro %}
{% macro spark__export_json_string(expr) -%}
    {#- to_json of a one-element array gives '["..."]'; the brackets are cut off. -#}
    {%- set wrapped = "to_json(array(cast(" ~ expr ~ " as string)))" -%}
    {{ return("case when " ~ expr ~ " is not null then substr(" ~ wrapped ~ ", 2, length(" ~ wrapped
        ~ ") - 2) end") }}
{%- endmacro %}

{#- One JSON value of a given kind: text -> string literal, number -> the number as printed,
    boolean -> true/false, json -> the text as is (already JSON). -#}
{% macro export_json_value(expr, kind) -%}
    {%- if kind == 'text' -%}
        {{ return(export_json_string(expr)) }}
    {%- elif kind == 'number' -%}
        {{ return("cast(" ~ expr ~ " as " ~ dbt.type_string() ~ ")") }}
    {%- elif kind == 'boolean' -%}
        {{ return("case when " ~ expr ~ " then 'true' when not " ~ expr ~ " then 'false' end") }}
    {%- elif kind == 'json' -%}
        {{ return(expr) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("export_json_value: unknown kind " ~ kind) }}
    {%- endif -%}
{%- endmacro %}

{#- Text that joins the non-NULL items of a list of SQL text expressions with a comma. -#}
{% macro export_join_non_null(items) -%}
    {{ return(adapter.dispatch('export_join_non_null', 'closedloop')(items)) }}
{%- endmacro %}
{% macro default__export_join_non_null(items) -%}
    {{ return("concat_ws(',', " ~ items | join(', ') ~ ")") }}
{%- endmacro %}
{% macro snowflake__export_join_non_null(items) -%}
    {{ return("array_to_string(array_construct_compact(" ~ items | join(', ') ~ "), ',')") }}
{%- endmacro %}

{#- A JSON object from `members`, a list of [key, SQL expression, kind]. Keys keep the order
    given. omit_nulls=true leaves out the keys whose value is NULL (Klaviyo: a null property
    would clear it); false writes them as null. empty_as_null=true gives NULL instead of {}. -#}
{% macro export_json_object(members, omit_nulls=true, empty_as_null=true) -%}
    {%- set items = [] -%}
    {%- for key, expr, kind in members -%}
        {%- set value = export_json_value(expr, kind) -%}
        {%- if omit_nulls -%}
            {%- do items.append("case when " ~ expr ~ " is not null then '\"" ~ key ~ "\":' || " ~ value ~ " end") -%}
        {%- else -%}
            {%- do items.append("'\"" ~ key ~ "\":' || coalesce(" ~ value ~ ", 'null')") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set obj = "'{' || " ~ export_join_non_null(items) ~ " || '}'" -%}
    {%- if empty_as_null -%}
        {{ return("nullif(" ~ obj ~ ", '{}')") }}
    {%- else -%}
        {{ return(obj) }}
    {%- endif -%}
{%- endmacro %}

{#- Aggregate: a JSON array of the JSON texts `element_expr` of a group, in `order_by` order
    (a comma-separated list of column expressions). NULL for a group without elements. -#}
{% macro export_json_array_agg(element_expr, order_by) -%}
    {{ return(adapter.dispatch('export_json_array_agg', 'closedloop')(element_expr, order_by)) }}
{%- endmacro %}
{% macro default__export_json_array_agg(element_expr, order_by) -%}
    {{ return("'[' || " ~ dbt.listagg(element_expr, "','", "order by " ~ order_by) ~ " || ']'") }}
{%- endmacro %}
{% macro spark__export_json_array_agg(element_expr, order_by) -%}
    {#- collect_list has no order: sort structs of (order keys..., element), keep the element. -#}
    {%- set fields = [] -%}
    {%- for key in order_by.split(',') -%}
        {%- do fields.append("'k" ~ loop.index ~ "', " ~ key | trim) -%}
    {%- endfor -%}
    {%- do fields.append("'element', " ~ element_expr) -%}
    {{ return("case when count(*) > 0 then concat('[', array_join(transform(array_sort(collect_list(named_struct("
        ~ fields | join(', ') ~ "))), x -> x.element), ','), ']') end") }}
{%- endmacro %}

{#- The product lines of each purchase as a JSON array (Meta / TikTok `contents`): a select of
    transaction_id and contents over `conversion_items` (the caller's
    ref('export_prep__conversion_items')), one object per line from `members` ([key, items
    column, kind], the platform's key names), ordered by product. -#}
{% macro export_purchase_contents(members, conversion_items, candidates='candidates') %}
    select
        transaction_id,
        {{ export_json_array_agg(export_json_object(members), 'product_id, transaction_item_id') }} as contents
    from {{ conversion_items }}
    {# Only the purchases in the platform's window: an ordered aggregate over every purchase
       of the history is the most expensive step of an export at scale. #}
    where transaction_id in (select conversion_id from {{ candidates }} where conversion_type = 'purchase')
    group by transaction_id
{% endmacro %}
