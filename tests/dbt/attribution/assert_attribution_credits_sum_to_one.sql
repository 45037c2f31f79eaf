-- Within each attribution model, one conversion's credits sum to exactly 1, its attributed
-- revenue to exactly its revenue, and every model carries all of its touches.
with attributions as (
    select * from {{ ref('fct_attributed_conversions') }}
),

per_conversion as (
    select
        transaction_id,
        attribution_model,
        sum(credit) as total_credit,
        sum(attributed_revenue) as total_revenue,
        max(conversion_revenue) as conversion_revenue,
        count(*) as touches,
        max(touch_count) as touch_count
    from attributions
    group by transaction_id, attribution_model
)

select *
from per_conversion
where
    total_credit <> 1
    or total_revenue <> conversion_revenue
    or touches <> touch_count
