-- Markov path touches: the touches of every path of the Markov-chain model, in sequence.
--   * conversion paths: one per conversion, its touches of int_attribution__conversion_touches
--     (the attribution windows before the purchase, the shared touch order);
--   * null paths: one per customer with eligible touches and no conversion in the run's data
--     (everything loaded up to as_of, the same period as the conversions): all of their
--     eligible touches, in the same touch order.
-- The state of a touch is its channel, dispatch_type or campaign (var
-- attribution_markov_channel_level).
{%- set level = var('attribution_markov_channel_level', 'channel') %}
{%- set state_columns = {
    'channel': 'paths.touch_channel',
    'dispatch_type': 'dispatches.dispatch_type',
    'campaign': 'paths.campaign_id',
} %}
{%- if level not in state_columns %}
    {{ exceptions.raise_compiler_error(
        "var attribution_markov_channel_level must be one of " ~ (state_columns.keys() | list) ~ ", got " ~ level) }}
{%- endif %}
with conversion_touches as (
    select * from {{ ref('int_attribution__conversion_touches') }}
),

conversions as (
    select * from {{ ref('int_attribution__conversions') }}
),

eligible as (
    select * from {{ ref('int_touches__eligible') }}
),

dispatches as (
    select * from {{ ref('int_dispatches__live') }}
),

converters as (
    select distinct customer_id from conversions
),

conversion_paths as (
    select
        transaction_id as path_id,
        'conversion' as path_kind,
        customer_id,
        transaction_id,
        conversion_revenue as path_value,
        touch_id,
        touch_sequence,
        touch_count,
        touch_channel,
        dispatch_id,
        campaign_id
    from conversion_touches
),

null_paths as (
    select
        {{ dbt.concat(["'null:'", 'eligible.customer_id']) }} as path_id,
        'null' as path_kind,
        eligible.customer_id,
        cast(null as {{ dbt.type_string() }}) as transaction_id,
        cast(0 as decimal(18, 4)) as path_value,
        eligible.touch_id,
        cast(row_number() over (
            partition by eligible.customer_id
            order by
                eligible.touch_at, {{ touch_activity_rank('eligible.touch_activity') }}, eligible.message_id,
                eligible.touch_id
        ) as {{ dbt.type_int() }}) as touch_sequence,
        cast(count(*) over (partition by eligible.customer_id) as {{ dbt.type_int() }}) as touch_count,
        eligible.touch_channel,
        eligible.dispatch_id,
        eligible.campaign_id
    from eligible
    left join converters
        on eligible.customer_id = converters.customer_id
    where converters.customer_id is null
),

paths as (
    select * from conversion_paths
    union all
    select * from null_paths
),

final as (
    select
        paths.path_id,
        paths.path_kind,
        paths.customer_id,
        paths.transaction_id,
        cast(paths.path_value as decimal(18, 4)) as path_value,
        paths.touch_id,
        paths.touch_sequence,
        paths.touch_count,
        paths.touch_channel,
        dispatches.dispatch_type,
        paths.campaign_id,
        cast(coalesce({{ state_columns[level] }}, '(unknown)') as {{ dbt.type_string() }}) as markov_state
    from paths
    left join dispatches
        on paths.dispatch_id = dispatches.dispatch_id
)

select * from final
