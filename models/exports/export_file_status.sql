-- What this run does with each platform's file of this as_of: one row per platform.
-- file_status: new (written from the delta), kept (already written - export_files; never
-- rewritten with other content), not_ready (an id the platform needs is empty - no file,
-- nothing recorded as sent), behind (a later as_of was already written: a backfill of older
-- days writes no file - Braze / Klaviyo would go back to an older snapshot, event platforms
-- would get conversions judged by an older day's consent). The deltas, the ledger and
-- scripts/write_exports.py follow it.
with written as (
    select * from {{ ref('export_files') }}
),

statuses as (
    {{ export_file_status_rows() }}
),

final as (
    select
        platform,
        {{ export_as_of_date() }} as as_of,
        file_status,
        is_ready,
        not_ready_reason,
        latest_file_as_of,
        window_days
    from statuses
)

select * from final
