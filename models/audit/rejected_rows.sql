-- Quarantine: one row per rejected raw row, with the reason (docs/architecture.md lists the
-- codes). Row-level reasons come from the base models; `unknown_parent` from the same
-- accepted_rows() check the staging models use, so the two can never disagree.
{%- set entities = staging_entities() %}
with
{%- for entity, e in entities.items() %}
{{ entity }}_rejects as (
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
    from ({{ accepted_rows(entity, orphans=true) }}) as orphans
    {%- endif %}
),
{%- endfor %}

unioned as (
    {%- for entity in entities %}
    select * from {{ entity }}_rejects
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        {{ surrogate_key(['entity', 'source_file', 'row_number']) }} as rejected_row_id,
        entity,
        source_file,
        row_number,
        reason,
        raw
    from unioned
)

select * from final
