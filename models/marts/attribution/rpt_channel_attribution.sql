-- Channel attribution: one row per touch channel with the conversions (sum of credits) and
-- revenue credited to it under every attribution model of fct_attributed_conversions, side
-- by side (attribution_fact_models(): the rule-based models, then markov).
with fct as (
    select * from {{ ref('fct_attributed_conversions') }}
),

final as (
    select
        {%- for model_name in attribution_fact_models() %}
            cast(sum(case when attribution_model = '{{ model_name }}' then credit else 0 end) as decimal(18, 6))
                as {{ model_name }}_conversions,
            cast(
                sum(case when attribution_model = '{{ model_name }}' then attributed_revenue else 0 end)
                as decimal(18, 4)
            ) as {{ model_name }}_revenue,
        {%- endfor %}
        touch_channel
    from fct
    group by touch_channel
)

select * from final
