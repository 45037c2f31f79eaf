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

{#- Pre-hook of the base models: rows of a file whose current delivery has no data row (it was
    replaced by a header-only file) are removed; a replaced file with rows is handled by the
    delete+insert on source_file, a quarantined replacement keeps the earlier rows. -#}
{% macro delete_rows_of_emptied_files(files_relation) -%}
    {{- return(adapter.dispatch('delete_rows_of_emptied_files', 'closedloop')(files_relation)) -}}
{%- endmacro %}

{% macro default__delete_rows_of_emptied_files(files_relation) -%}
    {%- if execute and is_incremental() -%}
        delete from {{ this }}
        where source_file in (
            select file_name from {{ files_relation }}
            where file_status = 'loaded' and rows_read = 0
        )
    {%- else -%}
        select 1 as nothing_to_delete
    {%- endif -%}
{%- endmacro %}

{#- Spark (Parquet, no DELETE): the base tables are partitioned by source_file, so the rows of
    an emptied file are its partition, dropped here (names through the quoting helper). -#}
{% macro spark__delete_rows_of_emptied_files(files_relation) -%}
    {%- if execute and is_incremental() -%}
        {%- set emptied = run_query(
            "select file_name from " ~ files_relation ~ " where file_status = 'loaded' and rows_read = 0"
        ).columns[0].values() -%}
        {%- for file_name in emptied %}
            {%- do run_query(
                'alter table ' ~ this ~ ' drop if exists partition (source_file = '
                ~ closedloop.sql_string(file_name) ~ ')'
            ) -%}
        {%- endfor %}
    {%- endif -%}
    select 1 as nothing_to_delete
{%- endmacro %}
