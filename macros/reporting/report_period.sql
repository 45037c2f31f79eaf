{#- What the rpt_* reports count: only what happened before var as_of (decisions/marts.md #16).
    The reporting period ends at as_of, exclusive, like the export windows: a report counts an
    event, a purchase or a message's cost only when its local date (var reporting_timezone) is
    before as_of. A message scheduled on or after as_of (or without any send time or send
    event) has no cost yet. -#}

{#- The first local date the reports do not count: as_of. -#}
{% macro report_end_date() -%}
    {{ closedloop.as_of_date() }}
{%- endmacro %}

{#- The select of a CTE with one row per message of `messages` (a relation or CTE with
    dim_messages' columns): message_id, dispatch_id, campaign_id, variant, is_holdout, cost_date
    (the local date of its send time, else of its first send event in `engagement_events`, a
    relation or CTE with int_events__engagement's columns) and reported_cost (its cost when
    cost_date is before as_of, else 0; NULL when it has no cost). -#}
{% macro reported_message_costs(messages, engagement_events) -%}
    select
        costed.message_id,
        costed.dispatch_id,
        costed.campaign_id,
        costed.variant,
        costed.is_holdout,
        costed.cost_date,
        cast(case
            when costed.cost_date < {{ report_end_date() }} then costed.cost
            when costed.cost is not null then 0
        end as decimal(18, 4)) as reported_cost
    from (
        select
            {{ messages }}.message_id,
            {{ messages }}.dispatch_id,
            {{ messages }}.campaign_id,
            {{ messages }}.variant,
            {{ messages }}.is_holdout,
            {{ messages }}.cost,
            coalesce({{ utc_to_local_date(messages ~ '.send_at') }}, first_sends.first_send_date) as cost_date
        from {{ messages }}
        left join (
            select
                message_id,
                min(event_local_date) as first_send_date
            from {{ engagement_events }}
            where activity = 'sent'
            group by message_id
        ) as first_sends
            on {{ messages }}.message_id = first_sends.message_id
    ) as costed
{%- endmacro %}
