-- What this run does with each platform's file of this as_of: one row per platform.
-- file_status: new (written from the delta), kept (already written - export_files; never
-- rewritten with other content), not_ready (an id the platform needs is empty - no file,
-- nothing recorded as sent), behind (a later as_of was already written: a backfill of older
-- days writes no file - Braze / Klaviyo would go back to an older snapshot, event platforms
-- would get conversions judged by an older day's consent). The deltas, the ledger and
-- scripts/write_exports.py follow it.
-- kept (this as_of's file is in export_files), not_ready (an id the platform needs is not
-- set), behind (a later as_of's file is in export_files), else new. window_days: the window
-- the event platforms use on this run (Meta's first load reads the export history: a source
-- over export_ledger - a ref would be a cycle, the ledger reads this model; see
-- _exports__sources.yml).
{%- set ledger_history = export_existing_relation(source('export_history', 'export_ledger')) %}
{%- set written_files = export_existing_relation(ref('export_files')) %}
with written as (
    select * from {{ ref('export_files') }}
),

statuses as (
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
            {{ closedloop.sql_string(reason) if reason else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
                as not_ready_reason,
            (
                select max(written.as_of) from written
                where written.platform = '{{ platform }}'
            ) as latest_file_as_of,
            {%- if not p.get('window_var') %}
                cast(null as {{ dbt.type_int() }}) as window_days
            {%- else %}
                cast(
                    {{ export_effective_window_days(platform, ledger_history, written_files) }} as {{ dbt.type_int() }}
                )
                    as window_days
            {%- endif %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
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
