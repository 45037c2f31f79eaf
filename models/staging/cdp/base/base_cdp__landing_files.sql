-- One row per landing file ever seen (file name): the latest delivery's status from the
-- landing reader's manifest. Kept when the file leaves the folder, so the audit keeps it too.
with source as (
    select * from {{ source('landing', 'files') }}
),

final as (
    select
        file_name as source_file,
        coalesce(entity, 'unknown') as entity,
        source_system,
        file_timestamp,
        file_loaded_at,
        file_sha256,
        file_status,
        quarantine_reason,
        quarantine_detail,
        physical_lines,
        blank_lines,
        rows_read as rows_in_file,
        {{ closedloop.as_of_date() }} as loaded_as_of
    from source
)

select * from final
