-- The files scripts/write_exports.py wrote: one row per file (platform, as_of, file name).
-- dbt only creates the table (this select returns no row); the writer inserts a row when it
-- has written a file, with its row count and the SHA-256 of its bytes. A platform's as_of
-- with a row here is written for good: the writer never rewrites it with other content, the
-- ledger keeps that as_of's rows (export_file_status = kept), and no older as_of of the
-- platform is written after it (behind). Survives --full-refresh like the ledger.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='fail'
    )
}}
with final as (
    select
        cast(null as {{ dbt.type_string() }}) as platform,
        cast(null as date) as as_of,
        cast(null as {{ dbt.type_string() }}) as file_name,
        cast(null as {{ dbt.type_bigint() }}) as row_count,
        cast(null as {{ dbt.type_string() }}) as content_sha256,
        cast(null as {{ dbt.type_int() }}) as window_days
)

select * from final
where 1 = 0
