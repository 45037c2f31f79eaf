{#- The standard normal distribution in portable SQL: only `exp`, `abs`, `least`, arithmetic
    and CASE, which DuckDB, Spark and PostgreSQL all have (no erf/erfc function is common to
    the three). Used by the comparison statistics of the rpt_* reports (docs/marts.md,
    "Comparisons you can trust"; decisions/marts.md #17).

    normal_upper_tail(abs_x) = Q(x) = 1 - Phi(x) for x >= 0, by Hart's rational approximation
    (Hart et al. 1968, algorithm 5666, in G. West's double-precision form, "Better approximations
    to cumulative normal functions", 2005): absolute error about 1e-14 (pytest checks 1e-9
    against scipy), relative error small in the far tail as well. |x| is capped at 37, where
    Q is below 1e-299: exp() of a larger argument underflows, and PostgreSQL raises an error
    on underflow instead of returning 0.

    Arguments are SQL expressions; pass a column (or a short expression): it is repeated many
    times in the generated SQL. -#}

{#- A double-precision float type name (dbt.type_float() is a 4-byte REAL on DuckDB). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'closedloop')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{#- Q(x) = P(Z > x) for x >= 0 (abs_x must not be negative). -#}
{% macro normal_upper_tail(abs_x) -%}
    {%- set x = '(least(cast(' ~ abs_x ~ ' as ' ~ type_double() ~ '), 37.0))' -%}
    (case
        when {{ x }} < 7.07106781186547 then
            exp(-{{ x }} * {{ x }} / 2.0)
            * ((((((0.0352624965998911 * {{ x }} + 0.700383064443688) * {{ x }} + 6.37396220353165) * {{ x }}
                + 33.912866078383) * {{ x }} + 112.079291497871) * {{ x }} + 221.213596169931) * {{ x }}
                + 220.206867912376)
            / (((((((0.0883883476483184 * {{ x }} + 1.75566716318264) * {{ x }} + 16.064177579207) * {{ x }}
                + 86.7807322029461) * {{ x }} + 296.564248779674) * {{ x }} + 637.333633378831) * {{ x }}
                + 793.826512519948) * {{ x }} + 440.413735824752)
        when {{ x }} < 37.0 then
            exp(-{{ x }} * {{ x }} / 2.0)
            / ({{ x }} + 1.0 / ({{ x }} + 2.0 / ({{ x }} + 3.0 / ({{ x }} + 4.0 / ({{ x }} + 0.65)))))
            / 2.506628274631
        else 0.0
    end)
{%- endmacro %}

{#- Phi(x) = P(Z <= x), the standard normal CDF. -#}
{% macro normal_cdf(x) -%}
    (case
        when ({{ x }}) > 0 then 1.0 - {{ normal_upper_tail('abs(' ~ x ~ ')') }}
        else {{ normal_upper_tail('abs(' ~ x ~ ')') }}
    end)
{%- endmacro %}

{#- Two-sided p-value of a z statistic: 2 Q(|z|), at most 1. -#}
{% macro two_sided_p_value(z) -%}
    least(1.0, 2.0 * {{ normal_upper_tail('abs(' ~ z ~ ')') }})
{%- endmacro %}
