-- Attributed conversions: one row per conversion x touch x attribution model.
-- Each model's raw credit is rounded to 6 decimals; the rounding remainder of the credit and
-- of the attributed revenue goes to the conversion's last touch in sequence, so that within
-- one model a conversion's credits sum to exactly 1 and its attributed revenue to exactly
-- its revenue. Conversions without any qualifying touch are not here. Models:
-- attribution_fact_models() (the rule-based ones, then markov).
{#- Raw (unrounded) credit of the touch at position touch_sequence (1 = earliest) among the
    touch_count touches of one conversion, per attribution model. Position-based: the first and
    the last touch get the endpoint share each (var, default 0.4), the middle touches share the
    rest equally; 2 touches 50/50; 1 touch 100%. -#}
{%- set endpoint = var('attribution_position_based_endpoint_share', 0.4) | float %}
{%- set raw_credit = {
    'last_touch': 'case when touch_sequence = touch_count then 1.0 else 0.0 end',
    'first_touch': 'case when touch_sequence = 1 then 1.0 else 0.0 end',
    'linear': '1.0 / touch_count',
    'position_based': 'case when touch_count = 1 then 1.0 when touch_count = 2 then 0.5'
        ~ ' when touch_sequence = 1 or touch_sequence = touch_count then ' ~ endpoint
        ~ ' else (1.0 - 2 * ' ~ endpoint ~ ') / (touch_count - 2) end',
    'markov': 'case when markov_weight_total > 0 then markov_weight / markov_weight_total'
        ~ ' else 1.0 / touch_count end',
} %}
{%- for model_name in attribution_fact_models() if model_name not in raw_credit %}
    {{ exceptions.raise_compiler_error("unknown attribution model " ~ model_name) }}
{%- endfor %}
with touches as (
    select * from {{ ref('int_attribution__conversion_touches') }}
),

markov_path_touches as (
    select * from {{ ref('int_attribution__markov_path_touches') }}
),

markov_removal_effects as (
    select * from {{ ref('int_attribution__markov_removal_effects') }}
),

-- Markov: a touch weighs the removal effect of its state; a conversion whose touches all
-- weigh 0 falls back to linear (attribution #25).
weighted as (
    select
        touches.*,
        coalesce(cast(markov_removal_effects.removal_effect as {{ type_double() }}), 0) as markov_weight
    from touches
    left join markov_path_touches
        on
            touches.transaction_id = markov_path_touches.transaction_id
            and touches.touch_id = markov_path_touches.touch_id
    left join markov_removal_effects
        on markov_path_touches.markov_state = markov_removal_effects.markov_state
),

conversion_touches as (
    select
        *,
        sum(markov_weight) over (partition by transaction_id) as markov_weight_total
    from weighted
),

modelled as (
    {% for model_name in attribution_fact_models() %}
        select
            *,
            '{{ model_name }}' as attribution_model,
            cast({{ raw_credit[model_name] }} as decimal(18, 6))
                as rounded_credit
        from conversion_touches
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

rounded as (
    select
        *,
        cast(rounded_credit * conversion_revenue as decimal(18, 4)) as rounded_revenue
    from modelled
),

totals as (
    select
        *,
        sum(rounded_credit) over (partition by transaction_id, attribution_model) as rounded_credit_total,
        sum(rounded_revenue) over (partition by transaction_id, attribution_model) as rounded_revenue_total
    from rounded
),

balanced as (
    select
        *,
        case
            when touch_sequence = touch_count then rounded_credit + (1 - rounded_credit_total)
            else rounded_credit
        end as balanced_credit,
        case
            when touch_sequence = touch_count then rounded_revenue + (conversion_revenue - rounded_revenue_total)
            else rounded_revenue
        end as balanced_revenue
    from totals
),

final as (
    select
        {{ surrogate_key(['transaction_id', 'touch_id', 'attribution_model']) }} as attribution_id,
        attribution_model,
        attribution_model = '{{ attribution_default_model() }}' as is_default_model,
        transaction_id,
        customer_id,
        transaction_at,
        transaction_utc_date,
        transaction_local_date,
        cast(conversion_revenue as decimal(18, 4)) as conversion_revenue,
        touch_id,
        touch_at,
        touch_local_date,
        touch_channel,
        touch_activity,
        touch_type,
        touch_rule,
        message_id,
        dispatch_id,
        campaign_id,
        touch_sequence,
        touch_count,
        cast(balanced_credit as decimal(18, 6)) as credit,
        cast(balanced_revenue as decimal(18, 4)) as attributed_revenue
    from balanced
)

select * from final
