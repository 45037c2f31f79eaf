-- The file layout of every export, from macro export_platforms(): one row per platform and
-- file column, in file order. scripts/write_exports.py reads it to write each delta with the
-- platform's header names, format and row order; as_of tells it which run the tables hold.
with layout as (
    {{ export_layout_rows() }}
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
