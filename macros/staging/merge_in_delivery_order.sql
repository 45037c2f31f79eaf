{#- The feed's merge rule for one entity: accepted rows (the CTE `source`) merged per `key` in
    delivery order (load_order). For each attribute the latest non-NULL value wins, custom
    attributes are merged key by key, soft deletes come out as a non-NULL flag.

    Why two branches: most keys arrive once (10 M events, a handful re-delivered), and the
    per-column ordered aggregates cost the same for a key with one row as for a key with ten.
    Keys delivered once pass straight through (their row is the merge of itself: the landing
    relation writes custom attributes with sorted keys, as the merge does); only keys delivered
    more than once go through the aggregates. Both branches give the same columns in the same
    order. -#}
{% macro merge_in_delivery_order(source, key, columns, soft_delete=true) %}
    {%- set lineage = ['custom_attributes', 'source_system', 'source_file'] -%}
    with repeated_keys as (
        select {{ key }} as repeated_key
        from {{ source }}
        group by {{ key }}
        having count(*) > 1
    ),

    delivered_once as (
        select
            {{ source }}.{{ key }},
            {%- for c in columns + lineage %}
            {{ source }}.{{ c }},
            {%- endfor %}
            {%- if soft_delete %}
            coalesce({{ source }}.is_deleted, false) as is_deleted,
            {%- endif %}
            {{ source }}.file_loaded_at,
            {{ source }}.file_loaded_at as first_loaded_at,
            cast(1 as {{ dbt.type_bigint() }}) as source_row_count
        from {{ source }}
        left join repeated_keys on {{ source }}.{{ key }} = repeated_keys.repeated_key
        where repeated_keys.repeated_key is null
    ),

    delivered_again as (
        select
            {{ key }},
            {%- for c in columns %}
            {{ closedloop.latest_non_null(c, 'load_order') }} as {{ c }},
            {%- endfor %}
            {{ closedloop.merge_json_objects('custom_attributes', 'load_order') }} as custom_attributes,
            {{ closedloop.latest_non_null('source_system', 'load_order') }} as source_system,
            {{ closedloop.latest_non_null('source_file', 'load_order') }} as source_file,
            {%- if soft_delete %}
            coalesce({{ closedloop.latest_non_null('is_deleted', 'load_order') }}, false) as is_deleted,
            {%- endif %}
            max(file_loaded_at) as file_loaded_at,
            min(file_loaded_at) as first_loaded_at,
            count(*) as source_row_count
        from {{ source }}
        inner join repeated_keys on {{ source }}.{{ key }} = repeated_keys.repeated_key
        group by {{ key }}
    )

    select * from delivered_once
    union all
    select * from delivered_again
{% endmacro %}
