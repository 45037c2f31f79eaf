{#- SQL that repeats once per platform over relations the caller passes in (the caller refs
    them: every model and test shows its inputs). -#}

{#- One select per platform of `relations` (a dict: platform -> relation, e.g.
    {'meta': ref('export_meta'), ...}), with a `platform` column and the given columns. -#}
{% macro export_union(columns, relations) %}
    {%- for platform, relation in relations.items() %}
    select
        '{{ platform }}' as platform,
        {{ columns | join(',\n        ') }}
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}
