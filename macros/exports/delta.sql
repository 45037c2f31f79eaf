{#- Send once: the delta of an export and the rows of the ledger.

    The ledger (export_ledger) records per platform what each as_of sent: one row per
    platform, event_id (the export's export_key) and first_sent_as_of. The deltas read it
    through export_ledger_relation() (no ref: the ledger refs the deltas) and ignore the rows
    of the current as_of, so a re-run of an as_of gives the same delta, and the ledger then
    replaces that as_of's rows (export_ledger_pre_hook). -#}

{#- The SQL of export_<platform>_delta.
    Event platforms: the export's rows whose export_key was not sent on another as_of.
    Snapshot platforms (grain customer): the rows whose attributes_hash differs from the one
    last sent on an earlier as_of (new customers included). -#}
{% macro export_delta(platform) %}
    {%- set p = export_platforms()[platform] -%}
    {%- set ledger = export_ledger_relation() %}
with export_rows as (
    select * from {{ ref(p['model']) }}
),
{%- if not ledger %}

final as (
    select * from export_rows
)
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

final as (
    select export_rows.*
    from export_rows
    left join last_sent
        on export_rows.export_key = last_sent.event_id
    where
        last_sent.event_id is null
        or last_sent.attributes_hash <> export_rows.attributes_hash
)
{%- else %}

sent_before as (
    select distinct event_id
    from {{ ledger }}
    where
        platform = '{{ platform }}'
        and first_sent_as_of <> {{ export_as_of_date() }}
),

final as (
    select export_rows.*
    from export_rows
    left join sent_before
        on export_rows.export_key = sent_before.event_id
    where sent_before.event_id is null
)
{%- endif %}

select * from final
{% endmacro %}

{#- Pre-hook of the incremental history models (export_ledger, export_audit): drop the rows
    of the current as_of before they are inserted again, so a re-run replaces them. -#}
{% macro export_replace_as_of_hook(as_of_column) %}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ as_of_column }} = {{ export_as_of_date() }}
    {%- endif -%}
{% endmacro %}
