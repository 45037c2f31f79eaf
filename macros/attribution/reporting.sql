{#- Metric definitions shared by the rpt_* performance reports (docs/attribution.md). -#}

{#- NULL-safe ratio as decimal(18,6): NULL when the denominator is NULL or 0. -#}
{% macro ratio_or_null(numerator, denominator) -%}
    cast(case when ({{ denominator }}) <> 0 then ({{ numerator }}) * 1.0 / ({{ denominator }}) end as decimal(18, 6))
{%- endmacro %}

{#- Engagement counts in a grouped select over int_events__engagement rows (the per-event
    counting rules live there): sums of its *_count columns, distinct customers of sends,
    opens and clicks, and delivered = the sum of delivered_change floored at 0 (bounces
    without sends in the feed). -#}
{% macro engagement_aggregates() -%}
    cast(count(distinct case when send_count = 1 then customer_id end) as {{ dbt.type_bigint() }}) as recipients,
    {%- for name in ['send', 'bounce', 'hard_bounce', 'soft_bounce', 'open', 'click', 'unsubscribe'] %}
    cast(sum({{ name }}_count) as {{ dbt.type_bigint() }}) as {{ name }}s,
    {%- endfor %}
    cast(case when sum(delivered_change) > 0 then sum(delivered_change) else 0 end as {{ dbt.type_bigint() }})
        as delivered,
    cast(count(distinct case when open_count = 1 then customer_id end) as {{ dbt.type_bigint() }}) as unique_opens,
    cast(count(distinct case when click_count = 1 then customer_id end) as {{ dbt.type_bigint() }}) as unique_clicks
{%- endmacro %}

{#- The engagement columns of a report, zero-filled from a left-joined alias. -#}
{% macro engagement_columns(alias) -%}
    {%- for name in ['recipients', 'sends', 'delivered', 'bounces', 'hard_bounces', 'soft_bounces',
                     'opens', 'unique_opens', 'clicks', 'unique_clicks', 'unsubscribes'] %}
    coalesce({{ alias }}.{{ name }}, 0) as {{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- Rates over the engagement columns (already zero-filled). -#}
{% macro engagement_rates() -%}
    {{ ratio_or_null('delivered', 'sends') }} as delivery_rate,
    {{ ratio_or_null('unique_opens', 'delivered') }} as open_rate,
    {{ ratio_or_null('unique_clicks', 'delivered') }} as click_rate,
    {{ ratio_or_null('unique_clicks', 'unique_opens') }} as click_to_open_rate,
    {{ ratio_or_null('unsubscribes', 'delivered') }} as unsubscribe_rate
{%- endmacro %}

{#- Attributed orders (sum of credits) and revenue per model, in a grouped select over
    fct_attributed_conversions rows. -#}
{% macro attributed_aggregates() -%}
    {%- for model_name in attribution_models() %}
    cast(sum(case when attribution_model = '{{ model_name }}' then credit else 0 end) as decimal(18, 6))
        as {{ model_name }}_orders,
    cast(sum(case when attribution_model = '{{ model_name }}' then attributed_revenue else 0 end) as decimal(18, 4))
        as {{ model_name }}_revenue{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The attributed columns of a report, zero-filled from a left-joined alias. -#}
{% macro attributed_columns(alias) -%}
    {%- for model_name in attribution_models() %}
    cast(coalesce({{ alias }}.{{ model_name }}_orders, 0) as decimal(18, 6)) as {{ model_name }}_orders,
    cast(coalesce({{ alias }}.{{ model_name }}_revenue, 0) as decimal(18, 4)) as {{ model_name }}_revenue{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- Cost per order and ROAS under the default attribution model. -#}
{% macro cost_efficiency(cost_expr) -%}
    {%- set model_name = attribution_default_model() -%}
    {{ ratio_or_null(cost_expr, model_name ~ '_orders') }} as cost_per_order,
    {{ ratio_or_null(model_name ~ '_revenue', cost_expr) }} as roas
{%- endmacro %}
