{#- What a run sees of the warehouse's history. Base tables keep every row of every file they
    ever loaded (a file that leaves the landing folder keeps its rows; only DeleteFlag or
    --full-refresh removes data), and a run sees the files delivered on or before its as_of:
    a backfill of an earlier day builds the marts of that day without losing the later files. -#}
{% macro landing_in_scope(loaded_at_column='file_loaded_at') -%}
    {{ loaded_at_column }} < cast({{ closedloop.sql_string(closedloop.as_of_next_day()) }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- The day after as_of, 'YYYY-MM-DD' (files stamped before it are in scope). -#}
{% macro as_of_next_day() %}
    {%- set day = modules.datetime.datetime.strptime(closedloop.as_of(), '%Y-%m-%d') + modules.datetime.timedelta(days=1) -%}
    {{ return(day.strftime('%Y-%m-%d')) }}
{% endmacro %}
