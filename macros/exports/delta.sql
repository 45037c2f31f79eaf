{#- Send once: what a platform's file of this as_of holds.

    export_ledger decides what is sent (it reads its own history, {{ this }}, and the
    export_<platform> models: model export_ledger.sql); a platform's file is the rows of its
    export_<platform> model that the ledger records for this as_of - by export_key, and for
    Braze / Klaviyo (grain customer) with the same attributes_hash. The ledger holds rows of
    this as_of only for the platforms whose file_status is new (just decided) or kept (already
    written), so not_ready and behind platforms get no row. -#}
{% macro export_delta(platform, export_rows, ledger) %}
    {%- set p = export_platforms()[platform] %}
with export_rows as (
    select * from {{ export_rows }}
),

sent_this_as_of as (
    select distinct
        event_id{{ ',\n        attributes_hash' if p['grain'] == 'customer' }}
    from {{ ledger }}
    where
        platform = '{{ platform }}'
        and first_sent_as_of = {{ export_as_of_date() }}
),

final as (
    select export_rows.*
    from export_rows
    inner join sent_this_as_of
        on
            export_rows.export_key = sent_this_as_of.event_id
        {%- if p['grain'] == 'customer' %}
            and export_rows.attributes_hash = sent_this_as_of.attributes_hash
        {%- endif %}
)

select * from final
{% endmacro %}

{#- Pre-hook of the incremental history models (export_ledger, export_audit): drop the rows
    of the current as_of before they are inserted again, so a re-run replaces them. With
    `status` (the ledger passes ref('export_file_status')) the rows of platforms whose file for
    this as_of was already written (file_status kept) stay: what was sent is never
    un-recorded. -#}
{% macro export_replace_as_of_hook(as_of_column, status=none) %}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ as_of_column }} = {{ export_as_of_date() }}
        {%- if status %}
            and platform not in (
                select platform from {{ status }} where file_status = 'kept'
            )
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
