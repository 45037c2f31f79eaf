-- Quarantine: one row per rejected raw row with its reason and the column it names
-- (codes: docs/architecture.md).
with unioned as (
    {{ union_rejected_rows() }}
),

final as (
    select
        {{ surrogate_key(['entity', 'source_file', 'row_number']) }} as rejected_row_id,
        entity,
        source_file,
        row_number,
        line_number,
        reason,
        reject_column,
        raw
    from unioned
)

select * from final
