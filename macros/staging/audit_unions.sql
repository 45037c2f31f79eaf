{#- Unions for the audit models, one branch per landing entity (see staging_entities()). All
    count the rows in the run's scope (files delivered on or before as_of). -#}

{#- Every rejected row: row-level reasons from the base models, `unknown_parent` and
    `missing_required` of partial updates from the same accepted_rows() checks that the staging
    models use. -#}
{% macro union_rejected_rows() %}
    {%- for entity, e in closedloop.staging_entities().items() %}
    select
        '{{ entity }}' as entity,
        source_file,
        source_row_number as row_number,
        source_line_number as line_number,
        reject_reason as reason,
        reject_column,
        raw_row as raw
    from {{ ref(e['model']) }}
    where reject_reason is not null and {{ closedloop.landing_in_scope() }}
    {%- if e.get('parent') %}
    union all
    select
        '{{ entity }}' as entity,
        source_file,
        source_row_number as row_number,
        source_line_number as line_number,
        'unknown_parent' as reason,
        '{{ closedloop.landing_contract()[e['parent']]['columns'][0] }}' as reject_column,
        raw_row as raw
    from ({{ closedloop.accepted_rows(entity, orphans=true) }}) as orphans
    {%- endif %}
    {%- if e.get('partial_updates') %}
    union all
    select
        '{{ entity }}' as entity,
        source_file,
        source_row_number as row_number,
        source_line_number as line_number,
        'missing_required' as reason,
        missing_attribute as reject_column,
        raw_row as raw
    from ({{ closedloop.accepted_rows(entity, partial=true) }}) as partial_rows
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}

{#- Rows and physical lines per (entity, file, content) read from the landing files: the base
    models hold exactly one row per data row of every file they loaded. -#}
{% macro union_rows_read() %}
    {%- for entity, e in closedloop.staging_entities().items() %}
    select
        '{{ entity }}' as entity,
        source_file,
        file_sha256,
        count(*) as rows_read,
        sum(source_line_count) as lines_in_rows
    from {{ ref(e['model']) }}
    where {{ closedloop.landing_in_scope() }}
    group by source_file, file_sha256
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
