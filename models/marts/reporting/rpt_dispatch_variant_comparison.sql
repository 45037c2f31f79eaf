-- A/B variant comparison: one row per dispatch x variant of its non-holdout messages (messages
-- without a variant form the variant '(none)'). The reference variant of a dispatch is its
-- first named variant in alphabetical order ('(none)' only when it has no named one); each
-- *_diff is this variant's rate minus the reference's (0 on the reference row). Attributed
-- figures use the default model. Each rate is tested against the reference's (two-proportion
-- z-test and 95 % interval of the difference, macros/reporting/comparisons.sql); only what
-- happened before as_of counts.
{%- set default_model = attribution_default_model() %}
{#- rate: (numerator, denominator) of engagement_rates() / conversion_rate. -#}
{%- set tested_rates = {
    'open_rate': ('unique_opens', 'delivered'),
    'click_rate': ('unique_clicks', 'delivered'),
    'click_to_open_rate': ('unique_clicks', 'unique_opens'),
    'unsubscribe_rate': ('unsubscribes', 'delivered'),
    'conversion_rate': ('attributed_orders', 'recipients'),
} %}
with dispatches as (
    select * from {{ ref('dim_dispatches') }}
),

messages as (
    select * from {{ ref('dim_messages') }}
),

engagement_events as (
    select * from {{ ref('int_events__engagement') }}
),

period_events as (
    -- only what happened before as_of (macros/reporting/report_period.sql)
    select * from engagement_events
    where event_local_date < {{ report_end_date() }}
),

attributions as (
    select * from {{ ref('fct_attributed_conversions') }}
    where transaction_local_date < {{ report_end_date() }}
),

message_costs_reported as (
    {{ reported_message_costs('messages', 'engagement_events') | indent(4) }}
),

variant_messages as (
    select
        message_id,
        dispatch_id,
        reported_cost as cost,
        coalesce(variant, '(none)') as variant
    from message_costs_reported
    where not is_holdout
),

variant_events as (
    select
        *,
        coalesce(message_variant, '(none)') as variant
    from period_events
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

compared as (
    select
        rated.*,
        rated.variant = rated.reference_variant as is_reference_variant,
        -- noqa: disable=LT02
        {% for rate, counts in tested_rates.items() %}
            cast(rated.{{ rate }} - reference.{{ rate }} as decimal(18, 6)) as {{ rate }}_diff,
            {# the reference row is not tested against itself: its arm size is NULL #}
            {{ proportion_test_inputs(
                rate,
                'rated.' ~ counts[0],
                'case when rated.variant <> rated.reference_variant then rated.' ~ counts[1] ~ ' end',
                'reference.' ~ counts[0],
                'reference.' ~ counts[1]) }}{{ ',' if not loop.last }}
        {% endfor %}
    -- noqa: enable=LT02
    from rated
    inner join rated as reference
        on
            rated.dispatch_id = reference.dispatch_id
            and rated.reference_variant = reference.variant
),

final as (
    select
        dispatch_id,
        dispatch_name,
        campaign_id,
        variant,
        message_count,
        recipients,
        sends,
        delivered,
        bounces,
        hard_bounces,
        soft_bounces,
        opens,
        unique_opens,
        clicks,
        unique_clicks,
        unsubscribes,
        cost,
        attributed_orders,
        attributed_revenue,
        delivery_rate,
        open_rate,
        click_rate,
        click_to_open_rate,
        unsubscribe_rate,
        conversion_rate,
        reference_variant,
        is_reference_variant,
        open_rate_diff,
        click_rate_diff,
        click_to_open_rate_diff,
        unsubscribe_rate_diff,
        conversion_rate_diff,
        -- noqa: disable=LT02
        {% for rate in tested_rates %}
            {{ proportion_test_columns(rate, rate ~ '_') }}{{ ',' if not loop.last }}
        {% endfor %}
    -- noqa: enable=LT02
    from compared
)

select * from final
