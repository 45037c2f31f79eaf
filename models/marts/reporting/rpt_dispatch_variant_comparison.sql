-- A/B variant comparison: one row per dispatch x variant of its non-holdout messages (messages
-- without a variant form the variant '(none)'). The reference variant of a dispatch is its
-- first named variant in alphabetical order ('(none)' only when it has no named one); each
-- *_diff is this variant's rate minus the reference's (0 on the reference row). Attributed
-- figures use the default model.
{%- set default_model = attribution_default_model() %}
with dispatches as (
    select * from {{ ref('dim_dispatches') }}
),

messages as (
    select * from {{ ref('dim_messages') }}
),

engagement_events as (
    select * from {{ ref('int_events__engagement') }}
),

attributions as (
    select * from {{ ref('fct_attributed_conversions') }}
),

variant_messages as (
    select
        message_id,
        dispatch_id,
        channel,
        cost,
        coalesce(variant, '(none)') as variant
    from messages
    where not is_holdout
),

variant_events as (
    select
        *,
        coalesce(message_variant, '(none)') as variant
    from engagement_events
    where not is_holdout_message
),

engagement as (
    select
        dispatch_id,
        variant,
        {{ engagement_aggregates() }}
    from variant_events
    group by dispatch_id, variant
),

variants as (
    select
        dispatch_id,
        variant,
        cast(count(*) as {{ dbt.type_bigint() }}) as message_count,
        cast(sum(cost) as decimal(18, 4)) as cost
    from variant_messages
    group by dispatch_id, variant
),

attributed as (
    select
        variant_messages.dispatch_id,
        variant_messages.variant,
        {{ attributed_aggregates() }}
    from attributions
    inner join variant_messages
        on attributions.message_id = variant_messages.message_id
    group by variant_messages.dispatch_id, variant_messages.variant
),

joined as (
    select
        variants.dispatch_id,
        dispatches.dispatch_name,
        dispatches.campaign_id,
        variants.variant,
        variants.message_count,
        {{ engagement_columns('engagement') }},
        variants.cost,
        coalesce(attributed.{{ default_model }}_orders, 0) as attributed_orders,
        coalesce(attributed.{{ default_model }}_revenue, 0) as attributed_revenue
    from variants
    inner join dispatches
        on variants.dispatch_id = dispatches.dispatch_id
    left join engagement
        on
            variants.dispatch_id = engagement.dispatch_id
            and variants.variant = engagement.variant
    left join attributed
        on
            variants.dispatch_id = attributed.dispatch_id
            and variants.variant = attributed.variant
),

rated as (
    select
        *,
        {{ engagement_rates() }},
        {{ ratio_or_null('attributed_orders', 'recipients') }} as conversion_rate,
        first_value(variant) over (
            partition by dispatch_id
            order by case when variant = '(none)' then 1 else 0 end, variant
        ) as reference_variant
    from joined
),

final as (
    select
        rated.*,
        rated.variant = rated.reference_variant as is_reference_variant,
        cast(rated.open_rate - reference.open_rate as decimal(18, 6)) as open_rate_diff,
        cast(rated.click_rate - reference.click_rate as decimal(18, 6)) as click_rate_diff,
        cast(rated.click_to_open_rate - reference.click_to_open_rate as decimal(18, 6)) as click_to_open_rate_diff,
        cast(rated.unsubscribe_rate - reference.unsubscribe_rate as decimal(18, 6)) as unsubscribe_rate_diff,
        cast(rated.conversion_rate - reference.conversion_rate as decimal(18, 6)) as conversion_rate_diff
    from rated
    inner join rated as reference
        on
            rated.dispatch_id = reference.dispatch_id
            and rated.reference_variant = reference.variant
)

select * from final
