-- The file layout of every export, from the platform settings in the export models' YAML
-- (macro export_platforms()): one row per platform and file column, in file order.
-- scripts/write_exports.py reads it to write each platform's file with the platform's header
-- names, format and row order; as_of tells it which run the tables hold.
{%- set s = closedloop.sql_string %}
{%- set rows = [] %}
{%- for platform, p in export_platforms().items() %}
    {%- for column_name, header_name, kind in p['columns'] %}
        {%- do rows.append(
            "select " ~ s(platform) ~ " as platform, " ~ s(p['model']) ~ " as model_name, "
            ~ s(p['grain']) ~ " as grain, " ~ s(p['file_format']) ~ " as file_format, "
            ~ s(p['column_null_policy'].get(column_name) or p.get('null_policy', 'empty')) ~ " as null_policy, "
            ~ s(p.get('folder') or platform) ~ " as output_folder, "
            ~ "cast(" ~ (p.get('max_rows_per_file') or 'null') ~ " as " ~ dbt.type_bigint() ~ ") as max_rows_per_file, "
            ~ loop.index ~ " as column_position, " ~ s(column_name) ~ " as column_name, "
            ~ s(header_name) ~ " as header_name, " ~ s(kind) ~ " as value_kind, "
            ~ "cast(" ~ ((p['sort'].index(column_name) + 1) if column_name in p['sort'] else 'null')
            ~ " as " ~ dbt.type_int() ~ ") as sort_position") %}
    {%- endfor %}
{%- endfor %}
{%- if not rows %}
    {#- dbt parse: the platforms are known at execution only -#}
    {%- do rows.append("select 'none' as platform, 'none' as model_name, 'none' as grain, 'csv' as file_format,"
        ~ " 'empty' as null_policy, 'none' as output_folder, 0 as max_rows_per_file, 1 as column_position, 'none' as column_name,"
        ~ " 'none' as header_name, 'text' as value_kind, 0 as sort_position") %}
{%- endif %}
with layout as (
    {{ rows | join('\n    union all\n    ') }}
),

final as (
    select
        platform,
        model_name,
        grain,
        file_format,
        null_policy,
        output_folder,
        cast(max_rows_per_file as {{ dbt.type_bigint() }}) as max_rows_per_file,
        cast(column_position as {{ dbt.type_int() }}) as column_position,
        column_name,
        header_name,
        value_kind,
        cast(sort_position as {{ dbt.type_int() }}) as sort_position,
        {{ export_as_of_date() }} as as_of
    from layout
)

select * from final
