-- Time spine of the semantic layer (models/semantic/): one row per calendar day from var
-- time_spine_start_date up to, not including, as_of + 366 days (dbt's portable date_spine).
with days as (
    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('time_spine_start_date', '2024-01-01') ~ "' as date)",
        dbt.dateadd('day', 366, report_end_date())
    ) | indent(4) }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
