-- The file layout of every export, from macro export_platforms(): one row per platform and
-- file column, in file order. scripts/write_exports.py reads it to write each delta with the
-- platform's header names, format and row order; as_of tells it which run the tables hold.
{%- set rows = [] %}
{%- for platform, p in export_platforms().items() %}
    {%- for column_name, header_name, kind in p['columns'] %}
        {%- do rows.append(
            "select '" ~ platform ~ "' as platform, '" ~ p['model'] ~ "' as model_name, '"
            ~ p['model'] ~ "_delta' as delta_model_name, '" ~ p['file_format'] ~ "' as file_format, '"
            ~ p.get('null_policy', 'empty') ~ "' as null_policy, "
            ~ "cast(" ~ p.get('max_rows_per_file', 'null') ~ " as " ~ dbt.type_bigint() ~ ") as max_rows_per_file, "
            ~ loop.index ~ " as column_position, '" ~ column_name ~ "' as column_name, '"
            ~ header_name ~ "' as header_name, '" ~ kind ~ "' as value_kind, "
            ~ "cast(" ~ ((p['sort'].index(column_name) + 1) if column_name in p['sort'] else 'null')
            ~ " as " ~ dbt.type_int() ~ ") as sort_position") %}
    {%- endfor %}
{%- endfor %}
with layout as (
    {{ rows | join('\n    union all\n    ') }}
),

final as (
    select
        platform,
        model_name,
        delta_model_name,
        file_format,
        null_policy,
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
