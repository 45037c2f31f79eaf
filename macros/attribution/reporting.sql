{#- Metric definitions shared by the rpt_* performance reports (docs/attribution.md). -#}

{#- NULL-safe ratio as decimal(18,6): NULL when the denominator is NULL or 0. -#}
{% macro ratio_or_null(numerator, denominator) -%}
    cast(case when ({{ denominator }}) <> 0 then ({{ numerator }}) * 1.0 / ({{ denominator }}) end as decimal(18, 6))
{%- endmacro %}

{#- The events engagement_aggregates() counts, from a report's CTEs `events` and `messages`:
    the report's grain `columns` (SQL select items) plus activity, event_subtype, customer_id
    and message_channel (the channel of the message). Events of holdout messages (assignments,
    not engagement) are left out unless include_holdouts. -#}
{% macro engagement_events(columns, include_holdouts=false) %}
    select
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        events.activity,
        events.event_subtype,
        events.customer_id,
        messages.channel as message_channel
    from events
    inner join messages
        on events.message_id = messages.message_id
    {%- if not include_holdouts %}
    where not messages.is_holdout
    {%- endif %}
{% endmacro %}

{#- Engagement counts, to be used in a grouped select over engagement_events() rows.
    Delivered: delivery events for sms / paid social messages, sends minus bounces otherwise;
    a negative total (bounces without sends in the feed) is floored at 0. -#}
{% macro engagement_aggregates() -%}
    {%- set delivered_sum -%}
        sum(case
            when message_channel in ('sms', 'paid_social') then
                case when activity = 'delivered' then 1 else 0 end
            when activity = 'sent' then 1
            when activity = 'bounced' then -1
            else 0
        end)
    {%- endset -%}
    {%- set counts = {
        'sends': "activity = 'sent'",
        'bounces': "activity = 'bounced'",
        'hard_bounces': "activity = 'bounced' and lower(event_subtype) = 'hard'",
        'soft_bounces': "activity = 'bounced' and lower(event_subtype) = 'soft'",
        'opens': "activity = 'opened'",
        'clicks': "activity = 'clicked'",
        'unsubscribes': "activity = 'unsubscribed'",
    } -%}
    cast(count(distinct case when activity = 'sent' then customer_id end) as {{ dbt.type_bigint() }}) as recipients,
    {%- for name, condition in counts.items() %}
    cast(sum(case when {{ condition }} then 1 else 0 end) as {{ dbt.type_bigint() }}) as {{ name }},
    {%- endfor %}
    cast(case when {{ delivered_sum }} > 0 then {{ delivered_sum }} else 0 end as {{ dbt.type_bigint() }}) as delivered,
    cast(count(distinct case when activity = 'opened' then customer_id end) as {{ dbt.type_bigint() }}) as unique_opens,
    cast(count(distinct case when activity = 'clicked' then customer_id end) as {{ dbt.type_bigint() }}) as unique_clicks
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
