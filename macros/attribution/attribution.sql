{#- Attribution rules shared by the touch models, fct_attributed_conversions and the reports.
    Documented in docs/attribution.md; decisions in docs/decisions/attribution.md. -#}

{#- The attribution models, side by side. Fixed (not a var): each one is a column pair in
    the rpt_* contracts. -#}
{% macro attribution_models() -%}
    {{ return(['last_touch', 'first_touch', 'linear', 'position_based']) }}
{%- endmacro %}

{#- The models of fct_attributed_conversions: the rule-based ones of the report column pairs,
    then the data-driven Markov-chain model (docs/attribution.md#markov-chain-model). The rpt_*
    performance reports keep one column pair per attribution_models() entry; markov is in
    rpt_channel_attribution (attribution #23). -#}
{% macro attribution_fact_models() -%}
    {{ return(attribution_models() + ['markov']) }}
{%- endmacro %}

{#- Tie rank of a touch's activity in the touch order: send < delivery < open < click < other. -#}
{% macro touch_activity_rank(activity_expr) -%}
    case {{ activity_expr }}
        when 'sent' then 1
        when 'delivered' then 2
        when 'opened' then 3
        when 'clicked' then 4
        else 5
    end
{%- endmacro %}

{#- The model behind cost_per_order / ROAS and `is_default_model` (var, default last_touch). -#}
{% macro attribution_default_model() -%}
    {%- set model_name = var('attribution_default_model', 'last_touch') -%}
    {%- if model_name not in attribution_models() -%}
        {{ exceptions.raise_compiler_error(
            "var attribution_default_model must be one of " ~ attribution_models() ~ ", got " ~ model_name) }}
    {%- endif -%}
    {{ return(model_name) }}
{%- endmacro %}

{#- Direct-mail matchback window on a date: start inclusive, end exclusive
    (start <= d < start + window days), i.e. exactly `window_days` calendar days. -#}
{% macro in_matchback_window(date_expr, start_date_expr, window_days_expr) -%}
    ({{ date_expr }} >= {{ start_date_expr }}
        and {{ date_expr }} < {{ dbt.dateadd('day', window_days_expr, start_date_expr) }})
{%- endmacro %}
