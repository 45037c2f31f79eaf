{#- Pre-hook of the incremental history models (export_ledger, export_audit): drop the rows
    of the current as_of before they are inserted again, so a re-run replaces them. With
    `status` (the ledger passes ref('export_file_status')) the rows of platforms whose file for
    this as_of was already written (file_status kept) stay: what was sent is never
    un-recorded. -#}
{% macro export_replace_as_of_hook(as_of_column, status=none) %}
    {{- return(adapter.dispatch('export_replace_as_of_hook', 'closedloop')(as_of_column, status)) -}}
{% endmacro %}

{% macro default__export_replace_as_of_hook(as_of_column, status) %}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ as_of_column }} = {{ export_as_of_date() }}
        {%- if status %}
            and platform not in (
                select platform from {{ status }} where file_status = 'kept'
            )
        {%- endif -%}
    {%- endif -%}
{% endmacro %}

{#- Spark (Parquet, no DELETE): the history models are partitioned by (as_of column,
    platform) there and written by insert_overwrite, so the rows to drop are partitions:
    those of this as_of, but for the platforms whose file was already written. -#}
{% macro spark__export_replace_as_of_hook(as_of_column, status) %}
    {%- if execute and is_incremental() -%}
        {%- set kept = [] -%}
        {%- if status -%}
            {%- set kept = run_query(
                "select platform from " ~ status ~ " where file_status = 'kept'"
            ).columns[0].values() | list -%}
        {%- endif -%}
        {%- set platforms = run_query(
            'select distinct platform from ' ~ this ~ ' where ' ~ as_of_column ~ ' = ' ~ export_as_of_date()
        ).columns[0].values() -%}
        {%- for platform in platforms if platform not in kept %}
            {%- do run_query(
                'alter table ' ~ this ~ ' drop if exists partition (' ~ as_of_column ~ ' = '
                ~ closedloop.sql_string(as_of()) ~ ', platform = ' ~ closedloop.sql_string(platform) ~ ')'
            ) -%}
        {%- endfor %}
    {%- endif -%}
    select 1 as nothing_to_delete
{% endmacro %}
