-- Accounting: one row per landing file. rows_read counts the file's rows as read (base models),
-- rows_accepted from the rows the staging models merge, rows_rejected from rejected_rows;
-- a test asserts read = accepted + rejected for every file.
with read_rows as (
    {{ union_rows_read() }}
),

accepted_rows as (
    {{ union_rows_accepted() }}
),

rejected as (
    select
        entity,
        source_file,
        count(*) as rows_rejected
    from {{ ref('rejected_rows') }}
    group by entity, source_file
),

final as (
    select
        {{ surrogate_key(['read_rows.entity', 'read_rows.source_file']) }} as ingestion_audit_id,
        read_rows.entity,
        read_rows.source_file,
        read_rows.rows_read,
        coalesce(accepted_rows.rows_accepted, 0) as rows_accepted,
        coalesce(rejected.rows_rejected, 0) as rows_rejected
    from read_rows
    left join accepted_rows
        on read_rows.entity = accepted_rows.entity and read_rows.source_file = accepted_rows.source_file
    left join rejected
        on read_rows.entity = rejected.entity and read_rows.source_file = rejected.source_file
)

select * from final
