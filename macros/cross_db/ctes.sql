{#- Keyword that makes a CTE be computed once, for long chains of CTEs that each read the one
    before (the Markov squarings, macro markov_squarings). DuckDB inlines a CTE referenced once, and its planning
    time then grows about 20x per 10 chained join-and-aggregate steps; `materialized` keeps it
    linear (DuckDB and PostgreSQL 12+). Spark SQL has no such keyword: empty there. -#}
{% macro cte_materialized() -%}
    {{ return(adapter.dispatch('cte_materialized', 'closedloop')()) }}
{%- endmacro %}
{% macro default__cte_materialized() -%}
    {{ return('materialized') }}
{%- endmacro %}
{% macro spark__cte_materialized() -%}
    {{ return('') }}
{%- endmacro %}
