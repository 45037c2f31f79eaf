-- What was sent when: one row per platform, event id (the export_key of the delta rows) and
-- as_of it was sent. Built from the deltas; it outlives --full-refresh (full_refresh=false),
-- and a re-run of an as_of first deletes that as_of's rows, then inserts them again.
-- Event platforms: an event id appears once (sent once). Braze / Klaviyo: a customer appears
-- once per as_of its snapshot changed, with the attributes_hash that was sent.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='fail',
        pre_hook="{{ export_replace_as_of_hook('first_sent_as_of') }}"
    )
}}
with sent as (
    {{ export_ledger_sent() }}
),

final as (
    select
        platform,
        event_id,
        {{ export_as_of_date() }} as first_sent_as_of,
        attributes_hash,
        cast(file_rows as {{ dbt.type_bigint() }}) as file_rows
    from sent
)

select * from final
