-- The Markov chain of each removal scenario after 2^a steps, the first part of the solve
-- (docs/attribution.md#markov-chain-model). M is the one-step matrix over (start), the states
-- and (conversion), which keeps itself (probability 1); (null) is left out, as nothing leaves
-- it for (conversion). In the scenario that removes state c, c has no row: every transition
-- into c ends there, as if it went to (null). M^k[s, (conversion)] is then the probability of
-- being absorbed in (conversion) within k steps from s.
-- The var attribution_markov_doublings (n) squarings are split between this model (a = n - n/2,
-- rounded down n/2 in int_attribution__markov_removal_effects): a squaring reads its factor
-- twice, and an engine without materialized CTEs (Spark) computes a chain of a squarings
-- 2^a - 1 times, so two short chains cost far less than one long one.
{%- set doublings = markov_doublings() %}
{%- set squarings = doublings - doublings // 2 %}
with transitions as (
    select * from {{ ref('int_attribution__markov_transitions') }}
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

one_step as {{ cte_materialized() }} (
    select
        scenarios.removed_state,
        probabilities.from_state,
        probabilities.to_state,
        probabilities.probability
    from scenarios
    cross join probabilities
    where
        probabilities.from_state <> scenarios.removed_state
        and probabilities.to_state <> '(null)'
    union all
    select
        removed_state,
        '(conversion)' as from_state,
        '(conversion)' as to_state,
        cast(1 as {{ type_double() }}) as probability
    from scenarios
),

{{ markov_squarings('one_step', squarings, 'squared') }}

-- Stored at 10 decimals: a double sum depends on the order of its terms, so two builds of
-- the same data (an incremental day and a full refresh, or two engines) differed around the
-- 15th digit. An entry that rounds to 0 is left out.
rounded as (
    select
        removed_state,
        from_state,
        to_state,
        cast(probability as decimal(20, 10)) as probability
    from squared_{{ squarings }}
),

final as (
    select
        removed_state,
        from_state,
        to_state,
        cast({{ 2 ** squarings }} as {{ dbt.type_int() }}) as step_count,
        probability
    from rounded
    where probability > 0
)

select * from final
