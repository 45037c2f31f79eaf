-- Markov path counts: one row per distinct path (the ChannelAttribution input shape): how
-- many conversions and null paths it has, and the revenue of its conversions.
with paths as (
    select * from {{ ref('int_attribution__markov_paths') }}
),

final as (
    select
        markov_path,
        max(touch_count) as touch_count,
        cast(sum(case when path_kind = 'conversion' then 1 else 0 end) as {{ dbt.type_bigint() }}) as conversions,
        cast(sum(case when path_kind = 'null' then 1 else 0 end) as {{ dbt.type_bigint() }}) as null_count,
        cast(sum(path_value) as decimal(18, 4)) as conversion_value
    from paths
    group by markov_path
)

select * from final
