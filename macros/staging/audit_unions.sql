{#- Unions for the audit models, one branch per landing entity (see staging_entities()). -#}

{#- Every rejected row: row-level reasons from the base models, unknown_parent from the
    same accepted_rows() check that the staging models use. -#}
{% macro union_rejected_rows() %}
    {%- for entity, e in closedloop.staging_entities().items() %}
    select
        '{{ entity }}' as entity,
        source_file,
        source_row_number as row_number,
        reject_reason as reason,
        raw_row as raw
    from {{ ref(e['model']) }}
    where reject_reason is not null
    {%- if e.get('parent') %}
    union all
    select
        '{{ entity }}' as entity,
        source_file,
        source_row_number as row_number,
        'unknown_parent' as reason,
        raw_row as raw
    from ({{ closedloop.accepted_rows(entity, orphans=true) }}) as orphans
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}

{#- Rows per (entity, file) read from the landing files. The base models hold exactly one row
    per data row of every file in scope (daily runs only re-read new files), so they are the
    count of what was read. -#}
{% macro union_rows_read() %}
    {%- for entity, e in closedloop.staging_entities().items() %}
    select
        '{{ entity }}' as entity,
        source_file,
        count(*) as rows_read
    from {{ ref(e['model']) }}
    group by source_file
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}

{#- Rows per (entity, file) that the staging models merge: what was accepted. -#}
{% macro union_rows_accepted() %}
    {%- for entity in closedloop.staging_entities() %}
    select
        '{{ entity }}' as entity,
        source_file,
        count(*) as rows_accepted
    from ({{ closedloop.accepted_rows(entity) }}) as accepted
    group by source_file
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}
