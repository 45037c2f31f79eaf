{#- The squarings of a Markov chain's matrix, as a chain of CTEs: `<prefix>_1` = the CTE
    `<first>` times itself, `<prefix>_2` = `<prefix>_1` squared, ... `<prefix>_<count>`.
    Each matrix has the columns removed_state (the removal scenario), from_state, to_state and
    probability; one squaring doubles the steps the matrix covers. Ends with a comma, so the
    caller's next CTE follows. Spark computes a CTE again at every reference (no
    `materialized`), so a chain of n squarings costs 2^n - 1 joins there: keep n small per
    query (int_attribution__markov_scenario_steps and ..._removal_effects share the work). -#}
{% macro markov_squarings(first, count, prefix) %}
{%- for k in range(1, count + 1) %}
    {%- set factor = first if k == 1 else prefix ~ '_' ~ (k - 1) %}
    {{ prefix }}_{{ k }} as {{ cte_materialized() }} (
        select
            left_factor.removed_state,
            left_factor.from_state,
            right_factor.to_state,
            sum(left_factor.probability * right_factor.probability) as probability
        from {{ factor }} as left_factor
        inner join {{ factor }} as right_factor
            on
                left_factor.removed_state = right_factor.removed_state
                and left_factor.to_state = right_factor.from_state
        group by left_factor.removed_state, left_factor.from_state, right_factor.to_state
    ),
{%- endfor %}
{% endmacro %}

{#- var attribution_markov_doublings, checked: the solve covers 2^n steps of the chain. -#}
{% macro markov_doublings() %}
    {%- set doublings = var('attribution_markov_doublings', 7) | int %}
    {%- if doublings < 2 or doublings > 20 %}
        {{ exceptions.raise_compiler_error("var attribution_markov_doublings must be between 2 and 20, got " ~ doublings) }}
    {%- endif %}
    {{- return(doublings) }}
{% endmacro %}
