-- Markov removal effects: one row per state (channel, dispatch type or campaign) of the
-- first-order Markov chain of int_attribution__markov_transitions.
--   * P(conversion) is the probability that a walk from (start) is absorbed in (conversion).
--     It is solved by value iteration, unrolled here: v1(s) = p(s, conversion);
--     v(k+1)(s) = sum over t of p(s, t) x v(k)(t), with v = 1 for (conversion) and 0 for (null).
--     After var attribution_markov_steps steps, max_step_change (the largest move of any
--     scenario's P(conversion) in the last step) must be at most var attribution_markov_tolerance.
--   * Removing a state c sends every transition into c to (null): v(c) = 0 in scenario c.
--     removal_effect(c) = 1 - P(conversion | c removed) / P(conversion).
--   * markov_conversions(c) = total conversions x removal_effect(c) / sum of removal effects,
--     markov_value(c) the same share of the conversions' revenue.
-- Probabilities are computed in floating point and rounded to 10 decimals, so that every
-- engine gives the same figures.
{%- set steps = var('attribution_markov_steps', 100) | int %}
{%- if steps < 2 %}
    {{ exceptions.raise_compiler_error("var attribution_markov_steps must be at least 2, got " ~ steps) }}
{%- endif %}
{%- set tolerance = var('attribution_markov_tolerance', 0.0000000001) | float %}
{%- set min_paths = var('attribution_markov_min_paths', 100) | int %}
with transitions as (
    select * from {{ ref('int_attribution__markov_transitions') }}
),

path_counts as (
    select * from {{ ref('int_attribution__markov_path_counts') }}
),

probabilities as (
    select
        from_state,
        to_state,
        cast(transition_count as {{ type_double() }}) / from_state_count as probability
    from transitions
),

states as (
    select distinct from_state as markov_state
    from transitions
    where from_state <> '(start)'
),

scenarios as (
    select '(none)' as removed_state
    union all
    select markov_state as removed_state from states
),

-- the chain of each scenario: a removed state has no way out (its value stays 0)
edges as {{ cte_materialized() }} (
    select
        scenarios.removed_state,
        probabilities.from_state,
        probabilities.to_state,
        probabilities.probability
    from scenarios
    cross join probabilities
    where probabilities.from_state <> scenarios.removed_state
),

step_1 as {{ cte_materialized() }} (
    select
        removed_state,
        from_state as markov_state,
        sum(case when to_state = '(conversion)' then probability else 0 end) as p_conversion
    from edges
    group by removed_state, from_state
),
{% for k in range(2, steps + 1) %}
    step_{{ k }} as {{ cte_materialized() }} (
        select
            edges.removed_state,
            edges.from_state as markov_state,
            sum(edges.probability * case
                when edges.to_state = '(conversion)' then 1.0
                else coalesce(previous_step.p_conversion, 0)
            end) as p_conversion
        from edges
        left join step_{{ k - 1 }} as previous_step
            on
                edges.removed_state = previous_step.removed_state
                and edges.to_state = previous_step.markov_state
        group by edges.removed_state, edges.from_state
    ),
{% endfor %}
solved as (
    select
        last_step.removed_state,
        last_step.p_conversion,
        abs(last_step.p_conversion - coalesce(step_before.p_conversion, 0)) as step_change
    from step_{{ steps }} as last_step
    left join step_{{ steps - 1 }} as step_before
        on
            last_step.removed_state = step_before.removed_state
            and last_step.markov_state = step_before.markov_state
    where last_step.markov_state = '(start)'
),

convergence as (
    select max(step_change) as max_step_change from solved
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
        cast({{ steps }} as {{ dbt.type_int() }}) as solve_steps,
        cast(convergence.max_step_change as decimal(20, 10)) as max_step_change,
        convergence.max_step_change <= {{ tolerance }} as is_converged,
        totals.path_count >= {{ min_paths }} as has_enough_paths
    from shared
    cross join totals
    cross join convergence
)

select * from final
