{#- Two-proportion comparisons of the rpt_* reports (A/B variants against the reference variant,
    direct mail against its holdout): docs/marts.md "Comparisons you can trust",
    decisions/marts.md #17. Two steps, so that the long expressions are written once:

      1. proportion_test_inputs(name, x1, n1, x2, n2) in a select: helper columns
         <name>__n1, __n2, __p1, __p2, __se_pooled, __se_unpooled (double precision) for the
         tested arm (x1 successes of n1) against the reference arm (x2 of n2);
      2. proportion_test_columns(name, prefix) in a select over step 1: the published columns
         <prefix>p_value, <prefix>diff_ci_low, <prefix>diff_ci_high, <prefix>is_significant,
         <prefix>is_sample_sufficient.

    Rules: successes are capped to [0, n] (a rate whose numerator counts events, e.g.
    unsubscribes or fractional attributed orders, is tested as a proportion of at most 1);
    the p-value is the two-sided pooled two-proportion z-test (1 when the pooled rate is 0 or
    1: both rates are equal); the interval is the 95 % normal (Wald, unpooled) interval of
    p1 - p2; both are NULL when an arm is empty. is_sample_sufficient: both arms have at least
    var comparison_min_recipients_per_arm; is_significant: sufficient and p-value < var
    comparison_alpha (false otherwise, never NULL). -#}

{% macro comparison_alpha() -%}
    {%- set alpha = var('comparison_alpha', 0.05) | float -%}
    {%- if alpha <= 0 or alpha >= 1 -%}
        {{ exceptions.raise_compiler_error("var comparison_alpha must be between 0 and 1, got " ~ alpha) }}
    {%- endif -%}
    {{ return(alpha) }}
{%- endmacro %}

{% macro comparison_min_recipients_per_arm() -%}
    {%- set n = var('comparison_min_recipients_per_arm', 30) | int -%}
    {%- if n < 1 -%}
        {{ exceptions.raise_compiler_error("var comparison_min_recipients_per_arm must be at least 1, got " ~ n) }}
    {%- endif -%}
    {{ return(n) }}
{%- endmacro %}

{% macro proportion_test_inputs(name, x1, n1, x2, n2) -%}
    {%- set dbl = type_double() -%}
    {%- set n1c = 'cast(' ~ n1 ~ ' as ' ~ dbl ~ ')' -%}
    {%- set n2c = 'cast(' ~ n2 ~ ' as ' ~ dbl ~ ')' -%}
    {%- set x1c = 'least(greatest(cast(' ~ x1 ~ ' as ' ~ dbl ~ '), 0.0), ' ~ n1c ~ ')' -%}
    {%- set x2c = 'least(greatest(cast(' ~ x2 ~ ' as ' ~ dbl ~ '), 0.0), ' ~ n2c ~ ')' -%}
    {%- set p1 = '(' ~ x1c ~ ' / ' ~ n1c ~ ')' -%}
    {%- set p2 = '(' ~ x2c ~ ' / ' ~ n2c ~ ')' -%}
    {%- set pooled = '((' ~ x1c ~ ' + ' ~ x2c ~ ') / (' ~ n1c ~ ' + ' ~ n2c ~ '))' -%}
    {%- set valid = '(' ~ n1 ~ ') > 0 and (' ~ n2 ~ ') > 0' -%}
    cast({{ n1 }} as {{ dbl }}) as {{ name }}__n1,
    cast({{ n2 }} as {{ dbl }}) as {{ name }}__n2,
    case when {{ valid }} then {{ p1 }} end as {{ name }}__p1,
    case when {{ valid }} then {{ p2 }} end as {{ name }}__p2,
    case when {{ valid }} then
        sqrt(greatest({{ pooled }} * (1.0 - {{ pooled }}) * (1.0 / {{ n1c }} + 1.0 / {{ n2c }}), 0.0))
    end as {{ name }}__se_pooled,
    case when {{ valid }} then
        sqrt(greatest({{ p1 }} * (1.0 - {{ p1 }}) / {{ n1c }} + {{ p2 }} * (1.0 - {{ p2 }}) / {{ n2c }}, 0.0))
    end as {{ name }}__se_unpooled
{%- endmacro %}

{% macro proportion_test_columns(name, prefix='') -%}
    {%- set dbl = type_double() -%}
    {%- set diff = '(' ~ name ~ '__p1 - ' ~ name ~ '__p2)' -%}
    {%- set z = '(case when ' ~ name ~ '__se_pooled > 0 then ' ~ diff ~ ' / ' ~ name ~ '__se_pooled else 0.0 end)' -%}
    {%- set z95 = '1.959963984540054' -%}
    {%- set sufficient = '(coalesce(' ~ name ~ '__n1 >= ' ~ comparison_min_recipients_per_arm() ~ ' and '
        ~ name ~ '__n2 >= ' ~ comparison_min_recipients_per_arm() ~ ', false))' -%}
    cast(case when {{ name }}__se_pooled is not null then {{ two_sided_p_value(z) }} end as {{ dbl }})
        as {{ prefix }}p_value,
    cast({{ diff }} - {{ z95 }} * {{ name }}__se_unpooled as {{ dbl }}) as {{ prefix }}diff_ci_low,
    cast({{ diff }} + {{ z95 }} * {{ name }}__se_unpooled as {{ dbl }}) as {{ prefix }}diff_ci_high,
    coalesce(
        {{ sufficient }}
        and {{ name }}__se_pooled is not null
        and {{ two_sided_p_value(z) }} < {{ comparison_alpha() }},
        false
    ) as {{ prefix }}is_significant,
    {{ sufficient }} as {{ prefix }}is_sample_sufficient
{%- endmacro %}
