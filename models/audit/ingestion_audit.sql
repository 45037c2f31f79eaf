-- Accounting: one row per landing file in scope. rows_read counts the file's rows as read (base
-- models), rows_accepted the rows the staging models merge, rows_rejected those in
-- rejected_rows; file_status says whether the reader loaded or quarantined the file.
-- in_landing_folder: the file is in the folder this run read (the run summary alerts on
-- quarantined files only while they are there). Tested: read = accepted + rejected for every
-- file, and for a loaded file every physical line after the header is in a read row or blank.
-- Base models by entity (staging_entities()); rows are counted in the run's scope.
{%- set base_models = {
    'campaign': ref('base_cdp__campaigns'),
    'dispatch': ref('base_cdp__dispatches'),
    'message': ref('base_cdp__messages'),
    'event': ref('base_cdp__events'),
    'customer': ref('base_cdp__customers'),
    'transaction': ref('base_cdp__transactions'),
    'transactionitem': ref('base_cdp__transaction_items'),
    'organization': ref('base_cdp__organizations'),
} %}
with files as (
    select * from {{ ref('base_cdp__landing_files') }}
    -- a name off the contract has no stamp: always listed (in_landing_folder: still there?)
    where {{ landing_in_scope() }} or file_loaded_at is null
),

current_folder as (
    select file_name from {{ source('landing', 'files') }}
),

read_rows as (
    -- rows and physical lines per (entity, file, content): one base row per data row read
    {%- for entity, e in closedloop.staging_entities().items() %}
        select
            '{{ entity }}' as entity,
            source_file,
            file_sha256,
            count(*) as rows_read,
            sum(source_line_count) as lines_in_rows
        from {{ base_models[entity] }}
        where {{ closedloop.landing_in_scope() }}
        group by source_file, file_sha256
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

read_by_file as (
    select
        entity,
        source_file,
        sum(rows_read) as rows_read
    from read_rows
    group by entity, source_file
),

accepted_rows as (
    -- rows per (entity, file) that the staging models merge
    {%- for entity in closedloop.staging_entities() %}
        select
            '{{ entity }}' as entity,
            source_file,
            count(*) as rows_accepted
        from ({{ closedloop.accepted_rows(entity, base_models) }}) as accepted
        group by source_file
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
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
        {{ surrogate_key(['files.entity', 'files.source_file']) }} as ingestion_audit_id,
        files.entity,
        files.source_file,
        files.file_loaded_at,
        files.file_status,
        current_folder.file_name is not null as in_landing_folder,
        files.quarantine_reason,
        files.quarantine_detail,
        files.physical_lines,
        files.blank_lines,
        case when files.file_status = 'loaded' then coalesce(current_delivery.lines_in_rows, 0) end as lines_in_rows,
        coalesce(read_by_file.rows_read, 0) as rows_read,
        coalesce(accepted_rows.rows_accepted, 0) as rows_accepted,
        coalesce(rejected.rows_rejected, 0) as rows_rejected
    from files
    left join current_folder
        on files.source_file = current_folder.file_name
    left join read_by_file
        on files.entity = read_by_file.entity and files.source_file = read_by_file.source_file
    left join read_rows as current_delivery
        on
            files.entity = current_delivery.entity and files.source_file = current_delivery.source_file
            and files.file_sha256 = current_delivery.file_sha256
    left join accepted_rows
        on files.entity = accepted_rows.entity and files.source_file = accepted_rows.source_file
    left join rejected
        on files.entity = rejected.entity and files.source_file = rejected.source_file
)

select * from final
