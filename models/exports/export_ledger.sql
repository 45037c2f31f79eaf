-- What was sent when: one row per platform, event id (the export_key of the delta rows) and
-- as_of it was sent. Built from the deltas; it outlives --full-refresh (full_refresh=false).
-- A re-run of an as_of first deletes that as_of's rows, then inserts them again - except for
-- platforms whose file of this as_of was already written (export_file_status = kept): their
-- rows stay as they are, so the ledger never forgets what a written file carried.
-- Event platforms: an event id appears once (sent once). Braze / Klaviyo: a customer appears
-- once per as_of its snapshot changed, with the attributes_hash that was sent.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='fail',
        pre_hook="{{ export_replace_as_of_hook('first_sent_as_of', keep_written=true) }}"
    )
}}
with file_status as (
    select * from {{ ref('export_file_status') }}
),

sent as (
    {{ export_ledger_sent() }}
),

final as (
    select
        sent.platform,
        sent.event_id,
        {{ export_as_of_date() }} as first_sent_as_of,
        sent.attributes_hash,
        cast(sent.file_rows as {{ dbt.type_bigint() }}) as file_rows
    from sent
    inner join file_status
        on sent.platform = file_status.platform
    where file_status.file_status = 'new'
)

select * from final
