-- Markov removal effects: one row per state (channel, dispatch type or campaign) of the
-- first-order Markov chain of int_attribution__markov_transitions.
--   * P(conversion) is the probability that a walk from (start) is absorbed in (conversion).
--     int_attribution__markov_scenario_steps holds each removal scenario's chain after 2^a
--     steps; squaring it n/2 more times (n = var attribution_markov_doublings, default 7)
--     gives M^(2^n) (M^128), whose [(start), (conversion)] is P(conversion) within 2^n steps.
--     max_step_change, the largest move of any scenario's P(conversion) in the last squaring
--     (M^64 to M^128), must be at most var attribution_markov_tolerance (tested).
--   * Removing a state c sends every transition into c to (null).
--     removal_effect(c) = 1 - P(conversion | c removed) / P(conversion).
--   * markov_conversions(c) = total conversions x removal_effect(c) / sum of removal effects,
--     markov_value(c) the same share of the conversions' revenue.
-- Probabilities are computed in double precision and rounded to 10 decimals, so that every
-- engine gives the same figures.
{%- set squarings = markov_doublings() // 2 %}
{%- set tolerance = var('attribution_markov_tolerance', 0.0000000001) | float %}
{%- set min_paths = var('attribution_markov_min_paths', 100) | int %}
with scenario_steps as (
    select
        removed_state,
        from_state,
        to_state,
        step_count,
        cast(probability as {{ type_double() }}) as probability
    from {{ ref('int_attribution__markov_scenario_steps') }}
),

path_counts as (
    select * from {{ ref('int_attribution__markov_path_counts') }}
),

states as (
    select distinct removed_state as markov_state
    from scenario_steps
    where removed_state <> '(none)'
),

scenarios as (
    select '(none)' as removed_state
    union all
    select markov_state as removed_state from states
),

{{ markov_squarings('scenario_steps', squarings, 'squared') }}

-- P(conversion) from (start) of each scenario after the last squaring and the one before
solved as (
    select
        scenarios.removed_state,
        coalesce(last_power.probability, 0) as p_conversion,
        abs(coalesce(last_power.probability, 0) - coalesce(power_before.probability, 0)) as step_change
    from scenarios
    left join squared_{{ squarings }} as last_power
        on
            scenarios.removed_state = last_power.removed_state
            and last_power.from_state = '(start)'
            and last_power.to_state = '(conversion)'
    left join {{ 'scenario_steps' if squarings == 1 else 'squared_' ~ (squarings - 1) }} as power_before
        on
            scenarios.removed_state = power_before.removed_state
            and power_before.from_state = '(start)'
            and power_before.to_state = '(conversion)'
),

convergence as (
    select max(step_change) as max_step_change from solved
),

-- steps of the chain the solve covers: those of its input times 2 per squaring
coverage as (
    select max(step_count) * {{ 2 ** squarings }} as solve_steps from scenario_steps
),

full_chain as (
    select p_conversion
    from solved
    where removed_state = '(none)'
),

totals as (
    select
        sum(conversions) as total_conversions,
        sum(conversion_value) as total_value,
        sum(conversions + null_count) as path_count
    from path_counts
),

effects as (
    select
        states.markov_state,
        full_chain.p_conversion as conversion_probability,
        coalesce(removed.p_conversion, 0) as removed_conversion_probability,
        case
            when full_chain.p_conversion > 0
                then 1 - coalesce(removed.p_conversion, 0) / full_chain.p_conversion
            else 0
        end as removal_effect
    from states
    cross join full_chain
    left join solved as removed
        on states.markov_state = removed.removed_state
),

shared as (
    select
        *,
        case
            when sum(removal_effect) over () > 0 then removal_effect / sum(removal_effect) over ()
            else 0
        end as removal_effect_share
    from effects
),

final as (
    select
        shared.markov_state,
        cast(shared.conversion_probability as decimal(20, 10)) as conversion_probability,
        cast(shared.removed_conversion_probability as decimal(20, 10)) as removed_conversion_probability,
        cast(shared.removal_effect as decimal(20, 10)) as removal_effect,
        cast(shared.removal_effect_share as decimal(20, 10)) as removal_effect_share,
        cast(totals.total_conversions * shared.removal_effect_share as decimal(20, 6)) as markov_conversions,
        cast(cast(totals.total_value as {{ type_double() }}) * shared.removal_effect_share as decimal(20, 6))
            as markov_value,
        cast(totals.total_conversions as {{ dbt.type_bigint() }}) as total_conversions,
        cast(totals.path_count as {{ dbt.type_bigint() }}) as path_count,
        cast(coverage.solve_steps as {{ dbt.type_int() }}) as solve_steps,
        cast(convergence.max_step_change as decimal(20, 10)) as max_step_change,
        convergence.max_step_change <= {{ tolerance }} as is_converged,
        totals.path_count >= {{ min_paths }} as has_enough_paths
    from shared
    cross join totals
    cross join convergence
    cross join coverage
)

select * from final
