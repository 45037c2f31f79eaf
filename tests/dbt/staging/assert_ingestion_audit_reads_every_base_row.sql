-- Reconciliation: per landing file in the run's scope, ingestion_audit.rows_read equals the rows
-- of the entity's base model (which keeps every raw row, accepted or not). Equality per (entity, file) implies that
-- sum(rows_read) over ingestion_audit equals the total rows of all base models. Returns the
-- files where the two disagree, and a 'total' row when the grand totals differ.
with base_rows as (
    {% for entity, e in staging_entities().items() -%}
        select
            '{{ entity }}' as entity,
            source_file,
            count(*) as base_rows
        from {{ ref(e['model']) }}
        where {{ landing_in_scope() }}
        group by source_file
        {% if not loop.last -%}
            union all
        {% endif -%}
    {%- endfor %}
),

audit_rows as (
    select
        entity,
        source_file,
        rows_read
    from {{ ref('ingestion_audit') }}
),

per_file as (
    select
        coalesce(audit_rows.entity, base_rows.entity) as entity,
        coalesce(audit_rows.source_file, base_rows.source_file) as source_file,
        coalesce(audit_rows.rows_read, 0) as rows_read,
        coalesce(base_rows.base_rows, 0) as base_rows
    from audit_rows
    full outer join base_rows
        on audit_rows.entity = base_rows.entity and audit_rows.source_file = base_rows.source_file
),

totals as (
    select
        'total' as entity,
        cast(null as {{ dbt.type_string() }}) as source_file,
        (select coalesce(sum(rows_read), 0) from audit_rows) as rows_read,
        (select coalesce(sum(base_rows), 0) from base_rows) as base_rows
)

select * from per_file
where rows_read <> base_rows
union all
select * from totals
where rows_read <> base_rows
