-- Attributed conversions: one row per conversion x touch x attribution model.
-- Each model's raw credit is rounded to 6 decimals; the rounding remainder of the credit and
-- of the attributed revenue goes to the conversion's last touch in sequence, so that within
-- one model a conversion's credits sum to exactly 1 and its attributed revenue to exactly
-- its revenue. Conversions without any qualifying touch are not here.
with conversion_touches as (
    select * from {{ ref('int_attribution__conversion_touches') }}
),

modelled as (
    {% for model_name in attribution_models() %}
        select
            *,
            '{{ model_name }}' as attribution_model,
            cast({{ attribution_credit(model_name, 'touch_sequence', 'touch_count') }} as decimal(18, 6))
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
