{#- Export windows, relative to var `as_of` (macro as_of()): a window of N days is the N
    complete UTC days before as_of, `as_of - N days <= event time < as_of`. -#}

{#- as_of as a SQL date / timestamp literal (midnight UTC). -#}
{% macro export_as_of_date() -%}
    {{ closedloop.as_of_date() }}
{%- endmacro %}

{% macro export_as_of_timestamp() -%}
    cast({{ closedloop.sql_string(closedloop.as_of()) }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- First instant of a window of `days` days (a number or a SQL integer expression). -#}
{% macro export_window_start(days) -%}
    {{ dbt.dateadd('day', '-1 * (' ~ days ~ ')', export_as_of_timestamp()) }}
{%- endmacro %}

{#- Boolean: `ts_expr` lies in the window of `days` days. -#}
{% macro export_in_window(ts_expr, days) -%}
    ({{ ts_expr }} >= {{ export_window_start(days) }} and {{ ts_expr }} < {{ export_as_of_timestamp() }})
{%- endmacro %}

{#- The window, in days, a platform uses on this run. A SQL integer expression.
    - Platforms without a first-load window: the regular window.
    - No ledger (nothing was ever sent): the first-load window.
    - This as_of's file was already written (export_files): the window it was written with,
      so a re-run rebuilds the same window set.
    - Else the first-load window while neither the ledger nor export_files holds a row of the
      platform from another as_of (earlier or later: a backfill of days before the first
      load is not a second first load), the regular window otherwise.
    `ledger` and `files`: the export_ledger and export_files relations as the calling model
    found them in the warehouse (none while they do not exist); this macro reads no relation
    of its own. -#}
{% macro export_effective_window_days(platform, ledger, files) -%}
    {%- set days = export_window_days(platform) -%}
    {%- set first_load_days = export_first_load_days(platform) -%}
    {%- set ledger = ledger if first_load_days > 0 else none -%}
    {%- set files = files if ledger else none -%}
    {%- if first_load_days == 0 -%}
        {{ days }}
    {%- elif not ledger -%}
        {{ first_load_days }}
    {%- else -%}
        (case
        {%- if files %}
            when (
                select count(*) from {{ files }} as written
                where written.platform = '{{ platform }}' and written.as_of = {{ export_as_of_date() }}
                    and written.window_days is not null
            ) > 0 then (
                select max(written.window_days) from {{ files }} as written
                where written.platform = '{{ platform }}' and written.as_of = {{ export_as_of_date() }}
            )
        {%- endif %}
            when (
                select count(*) from {{ ledger }} as ledger
                where ledger.platform = '{{ platform }}' and ledger.first_sent_as_of <> {{ export_as_of_date() }}
            ){% if files %} + (
                select count(*) from {{ files }} as written
                where written.platform = '{{ platform }}' and written.as_of <> {{ export_as_of_date() }}
            ){% endif %} > 0 then {{ days }}
            else {{ first_load_days }}
        end)
    {%- endif -%}
{%- endmacro %}

{#- `relation` (a ref() or source() the caller made) when it exists in the warehouse, else
    none: the export history (export_ledger, export_files) does not exist before the first
    build. Unit tests override it with '' (no history). -#}
{% macro export_existing_relation(relation) %}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {{ return(load_relation(relation)) }}
{% endmacro %}
