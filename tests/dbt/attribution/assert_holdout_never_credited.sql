-- Holdout recipients are never credited: no attributed row for a holdout message, nor for a
-- customer in the holdout of the touch's dispatch.
with attributions as (
    select * from {{ ref('fct_attributed_conversions') }}
),

messages as (
    select * from {{ ref('dim_messages') }}
),

holdouts as (
    select * from {{ ref('int_touches__holdout_assignments') }}
)

select attributions.attribution_id
from attributions
inner join messages
    on attributions.message_id = messages.message_id
left join holdouts
    on
        attributions.dispatch_id = holdouts.dispatch_id
        and attributions.customer_id = holdouts.customer_id
where
    messages.is_holdout
    or holdouts.customer_id is not null
