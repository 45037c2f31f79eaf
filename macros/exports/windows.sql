{#- Export windows, relative to var `as_of` (macro as_of()): a window of N days is the N
    complete UTC days before as_of, `as_of - N days <= event time < as_of`. -#}

{#- as_of as a SQL date / timestamp literal (midnight UTC). -#}
{% macro export_as_of_date() -%}
    cast('{{ as_of() }}' as date)
{%- endmacro %}

{% macro export_as_of_timestamp() -%}
    cast('{{ as_of() }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- First instant of a window of `days` days (a number or a SQL integer expression). -#}
{% macro export_window_start(days) -%}
    {{ dbt.dateadd('day', '-1 * (' ~ days ~ ')', export_as_of_timestamp()) }}
{%- endmacro %}

{#- Boolean: `ts_expr` lies in the window of `days` days. -#}
{% macro export_in_window(ts_expr, days) -%}
    ({{ ts_expr }} >= {{ export_window_start(days) }} and {{ ts_expr }} < {{ export_as_of_timestamp() }})
{%- endmacro %}

{#- The export_ledger relation when it exists in the warehouse, else none. Read this way,
    not through ref(), because the ledger is built from the deltas: a ref would be a cycle. -#}
{% macro export_ledger_relation() %}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set node = (graph.get('nodes') or {}).get('model.closedloop.export_ledger') -%}
    {%- if node is none -%}{{ return(none) }}{%- endif -%}
    {{ return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) }}
{% endmacro %}

{#- The window, in days, a platform uses on this run: its first-load window while the
    ledger holds no row of the platform from an earlier as_of, else its regular window.
    A SQL integer expression. -#}
{% macro export_effective_window_days(platform) -%}
    {%- set days = export_window_days(platform) -%}
    {%- set first_load_days = export_first_load_days(platform) -%}
    {%- set ledger = export_ledger_relation() if first_load_days > 0 else none -%}
    {%- if first_load_days == 0 -%}
        {{ days }}
    {%- elif not ledger -%}
        {{ first_load_days }}
    {%- else -%}
        (case when (
            select count(*) from {{ ledger }} as ledger
            where ledger.platform = '{{ platform }}' and ledger.first_sent_as_of < {{ export_as_of_date() }}
        ) > 0 then {{ days }} else {{ first_load_days }} end)
    {%- endif -%}
{%- endmacro %}
