{#- Attribution rules shared by the touch models, fct_attributed_conversions and the reports.
    Documented in docs/attribution.md; decisions in docs/decisions/attribution.md. -#}

{#- The attribution models, side by side. Fixed (not a var): each one is a column pair in
    the rpt_* contracts. -#}
{% macro attribution_models() -%}
    {{ return(['last_touch', 'first_touch', 'linear', 'position_based']) }}
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

{#- Raw (unrounded) credit of the touch at position `seq` (1 = earliest) among `n` touches of
    one conversion. Position-based: the first and the last touch get the endpoint share each
    (var, default 0.4), the middle touches share the rest equally; 2 touches 50/50; 1 touch 100%. -#}
{% macro attribution_credit(model_name, seq, n) -%}
    {%- set endpoint = var('attribution_position_based_endpoint_share', 0.4) | float -%}
    {%- if model_name == 'last_touch' -%}
        case when {{ seq }} = {{ n }} then 1.0 else 0.0 end
    {%- elif model_name == 'first_touch' -%}
        case when {{ seq }} = 1 then 1.0 else 0.0 end
    {%- elif model_name == 'linear' -%}
        1.0 / {{ n }}
    {%- elif model_name == 'position_based' -%}
        case
            when {{ n }} = 1 then 1.0
            when {{ n }} = 2 then 0.5
            when {{ seq }} = 1 or {{ seq }} = {{ n }} then {{ endpoint }}
            else (1.0 - 2 * {{ endpoint }}) / ({{ n }} - 2)
        end
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown attribution model " ~ model_name) }}
    {%- endif -%}
{%- endmacro %}

{#- Direct-mail matchback window on a date: start inclusive, end exclusive
    (start <= d < start + window days), i.e. exactly `window_days` calendar days. -#}
{% macro in_matchback_window(date_expr, start_date_expr, window_days_expr) -%}
    ({{ date_expr }} >= {{ start_date_expr }}
        and {{ date_expr }} < {{ dbt.dateadd('day', window_days_expr, start_date_expr) }})
{%- endmacro %}

{#- Lookback (days) of a digital touch type `<channel>_<activity>` from the var
    `attribution_lookback_days`; NULL (not a touch) for types not listed there. -#}
{% macro touch_lookback_days(touch_type_expr) -%}
    {%- set lookbacks = var('attribution_lookback_days') -%}
    case {{ touch_type_expr }}
    {%- for touch_type, days in lookbacks.items() %}
        when {{ closedloop.sql_string(touch_type) }} then {{ days | int }}
    {%- endfor %}
    end
{%- endmacro %}

{#- Order of touches that share the same timestamp (earlier rank = earlier in the sequence):
    a send or delivery precedes an open, an open precedes the click it enables. -#}
{% macro touch_activity_rank(activity_expr) -%}
    case {{ activity_expr }}
        when 'sent' then 1
        when 'delivered' then 2
        when 'opened' then 3
        when 'clicked' then 4
        else 5
    end
{%- endmacro %}
