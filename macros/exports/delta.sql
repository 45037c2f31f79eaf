{#- Send once: the delta of an export and the rows of the ledger.

    The ledger (export_ledger) records per platform what each as_of sent: one row per
    platform, event_id (the export's export_key) and first_sent_as_of. The deltas read it
    through export_ledger_relation() (no ref: the ledger refs the deltas) and ignore the rows
    of the current as_of, so a re-run of an as_of gives the same delta, and the ledger then
    replaces that as_of's rows (export_ledger_pre_hook). -#}

{#- The SQL of export_<platform>_delta, by the platform's file_status (export_file_status):
    new        Event platforms: the export's rows whose export_key was not sent on another
               as_of. Snapshot platforms (grain customer): the rows whose attributes_hash
               differs from the one last sent on an earlier as_of (new customers included).
    kept       This as_of's file was already written: the rows the ledger records for this
               as_of (Braze / Klaviyo: with the same attributes_hash), i.e. the file again
               when the data did not change. The writer never rewrites a written file.
    not_ready  No row: an id the platform needs is not set; nothing is sent or recorded.
    behind     No row: a later as_of was already written (a backfill of older days). Braze /
               Klaviyo would get an older snapshot; an event platform would get conversions
               judged by the consent of an older day, too old for its window by now. -#}
{% macro export_delta(platform) %}
    {%- set p = export_platforms()[platform] -%}
    {%- set ledger = export_ledger_relation() %}
with export_rows as (
    select * from {{ ref(p['model']) }}
),

file_status as (
    select file_status from {{ ref('export_file_status') }}
    where platform = '{{ platform }}'
),
{%- if not ledger %}

unsent as (
    select * from export_rows
),

kept as (
    select * from export_rows
    where 1 = 0
),
{%- elif p['grain'] == 'customer' %}

sent_snapshots as (
    select
        event_id,
        attributes_hash,
        row_number() over (partition by event_id order by first_sent_as_of desc) as snapshot_rank
    from {{ ledger }}
    where
        platform = '{{ platform }}'
        and first_sent_as_of < {{ export_as_of_date() }}
),

last_sent as (
    select * from sent_snapshots
    where snapshot_rank = 1
),

unsent as (
    select export_rows.*
    from export_rows
    left join last_sent
        on export_rows.export_key = last_sent.event_id
    where
        last_sent.event_id is null
        or last_sent.attributes_hash <> export_rows.attributes_hash
),

sent_this_as_of as (
    select
        event_id,
        attributes_hash
    from {{ ledger }}
    where
        platform = '{{ platform }}'
        and first_sent_as_of = {{ export_as_of_date() }}
),

kept as (
    select export_rows.*
    from export_rows
    inner join sent_this_as_of
        on
            export_rows.export_key = sent_this_as_of.event_id
            and export_rows.attributes_hash = sent_this_as_of.attributes_hash
),
{%- else %}

sent_before as (
    select distinct event_id
    from {{ ledger }}
    where
        platform = '{{ platform }}'
        and first_sent_as_of <> {{ export_as_of_date() }}
),

unsent as (
    select export_rows.*
    from export_rows
    left join sent_before
        on export_rows.export_key = sent_before.event_id
    where sent_before.event_id is null
),

sent_this_as_of as (
    select distinct event_id
    from {{ ledger }}
    where
        platform = '{{ platform }}'
        and first_sent_as_of = {{ export_as_of_date() }}
),

kept as (
    select export_rows.*
    from export_rows
    inner join sent_this_as_of
        on export_rows.export_key = sent_this_as_of.event_id
),
{%- endif %}

final as (
    select unsent.*
    from unsent
    cross join file_status
    where file_status.file_status = 'new'
    union all
    select kept.*
    from kept
    cross join file_status
    where file_status.file_status = 'kept'
)

select * from final
{% endmacro %}

{#- One row per platform for export_file_status: what this as_of's run does with the file.
    kept (this as_of's file is in export_files), not_ready (an id the platform needs is not
    set), behind (a later as_of's file is in export_files), else new. -#}
{% macro export_file_status_rows() %}
    {%- for platform, p in export_platforms().items() %}
    {%- set reason = export_not_ready_reason(platform) %}
    select
        '{{ platform }}' as platform,
        case
            when (
                select count(*) from written
                where written.platform = '{{ platform }}' and written.as_of = {{ export_as_of_date() }}
            ) > 0 then 'kept'
        {%- if reason %}
            when 1 = 1 then 'not_ready'
        {%- endif %}
            when (
                select count(*) from written
                where written.platform = '{{ platform }}' and written.as_of > {{ export_as_of_date() }}
            ) > 0 then 'behind'
            else 'new'
        end as file_status,
        {{ 'false' if reason else 'true' }} as is_ready,
        {{ closedloop.sql_string(reason) if reason else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as not_ready_reason,
        (
            select max(written.as_of) from written
            where written.platform = '{{ platform }}'
        ) as latest_file_as_of,
        {%- if p['grain'] == 'customer' %}
        cast(null as {{ dbt.type_int() }}) as window_days
        {%- else %}
        cast({{ export_effective_window_days(platform) }} as {{ dbt.type_int() }}) as window_days
        {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}

{#- Pre-hook of the incremental history models (export_ledger, export_audit): drop the rows
    of the current as_of before they are inserted again, so a re-run replaces them. With
    keep_written=true (the ledger) the rows of platforms whose file for this as_of was already
    written (file_status kept) stay: what was sent is never un-recorded. -#}
{% macro export_replace_as_of_hook(as_of_column, keep_written=false) %}
    {%- if is_incremental() -%}
        {%- set status = export_model_relation('export_file_status') if keep_written else none -%}
        delete from {{ this }} where {{ as_of_column }} = {{ export_as_of_date() }}
        {%- if keep_written %}
            and platform not in (
            {%- if status %}
                select platform from {{ status }} where file_status = 'kept'
            {%- else %}
                select platform from {{ this }} where 1 = 0
            {%- endif %}
            )
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
