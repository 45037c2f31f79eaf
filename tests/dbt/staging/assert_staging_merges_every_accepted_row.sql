-- Every accepted raw row is merged into exactly one staging record: per entity, the sum of the
-- staging models' source_row_count equals ingestion_audit's rows_accepted. Returns the entities
-- where the two disagree.
with staged as (
    {% for entity, e in staging_entities().items() -%}
        select
            '{{ entity }}' as entity,
            sum(source_row_count) as rows_merged
        from {{ ref(e['model'] | replace('base_cdp__', 'stg_cdp__')) }}
        {% if not loop.last -%}
            union all
        {% endif -%}
    {%- endfor %}
),

accepted as (
    select
        entity,
        sum(rows_accepted) as rows_accepted
    from {{ ref('ingestion_audit') }}
    group by entity
),

compared as (
    select
        staged.entity,
        coalesce(staged.rows_merged, 0) as rows_merged,
        coalesce(accepted.rows_accepted, 0) as rows_accepted
    from staged
    left join accepted on staged.entity = accepted.entity
)

select * from compared
where rows_merged <> rows_accepted
