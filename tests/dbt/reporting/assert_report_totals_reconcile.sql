-- Campaign, dispatch and daily reports add up to the same totals, counting only what happened
-- before as_of (local dates): sends and clicks of the non-holdout campaign events in
-- fct_events, cost of the dim_messages sent before as_of (local date of the send time, else
-- of the message's first send event), and per attribution model the orders (sum of credits)
-- and revenue of fct_attributed_conversions - for the dispatch report, of its rows with a
-- dispatch (a campaign session that resolved to its campaign only credits no dispatch).
{%- set models = attribution_models() %}
{%- set reports = ['rpt_campaign_performance', 'rpt_dispatch_performance', 'rpt_campaign_performance_daily'] %}
with events as (
    select * from {{ ref('fct_events') }}
),

messages as (
    select * from {{ ref('dim_messages') }}
),

attributions as (
    select * from {{ ref('fct_attributed_conversions') }}
),

expected_engagement as (
    select
        coalesce(sum(case when events.activity = 'sent' then 1 else 0 end), 0) as sends,
        coalesce(sum(case when events.activity = 'clicked' then 1 else 0 end), 0) as clicks
    from events
    inner join messages
        on events.message_id = messages.message_id
    where
        not messages.is_holdout
        and events.event_local_date < cast('{{ var("as_of") }}' as date)
),

first_sends as (
    select
        message_id,
        min(event_local_date) as first_send_date
    from events
    where activity = 'sent'
    group by message_id
),

expected_cost as (
    select coalesce(sum(messages.cost), 0) as cost
    from messages
    left join first_sends
        on messages.message_id = first_sends.message_id
    where
        coalesce({{ utc_to_local_date('messages.send_at') }}, first_sends.first_send_date)
        < cast('{{ var("as_of") }}' as date)
),

expected_attribution as (
    select
        {% for m in models %}
            coalesce(sum(case when attribution_model = '{{ m }}' then credit end), 0) as {{ m }}_orders,
            coalesce(sum(case when attribution_model = '{{ m }}' then attributed_revenue end), 0)
                as {{ m }}_revenue,
            coalesce(sum(case when attribution_model = '{{ m }}' and dispatch_id is not null then credit end), 0)
                as {{ m }}_dispatch_orders,
            coalesce(
                sum(case when attribution_model = '{{ m }}' and dispatch_id is not null then attributed_revenue end), 0
            ) as {{ m }}_dispatch_revenue,
        {% endfor %}
        count(*) as attributed_rows
    from attributions
    where transaction_local_date < cast('{{ var("as_of") }}' as date)
),

actual as (
    {% for report in reports %}
        select
            '{{ report }}' as report,
            {% for m in models %}
                coalesce(sum({{ m }}_orders), 0) as {{ m }}_orders,
                coalesce(sum({{ m }}_revenue), 0) as {{ m }}_revenue,
            {% endfor %}
            coalesce(sum(sends), 0) as sends,
            coalesce(sum(clicks), 0) as clicks,
            coalesce(sum(cost), 0) as cost
        from {{ ref(report) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select actual.report
from actual
cross join expected_engagement
cross join expected_cost
cross join expected_attribution
where
    actual.sends <> expected_engagement.sends
    or actual.clicks <> expected_engagement.clicks
    or actual.cost <> expected_cost.cost
    {% for m in models %}
        or actual.{{ m }}_orders <> case
            when actual.report = 'rpt_dispatch_performance' then expected_attribution.{{ m }}_dispatch_orders
            else expected_attribution.{{ m }}_orders
        end
        or actual.{{ m }}_revenue <> case
            when actual.report = 'rpt_dispatch_performance' then expected_attribution.{{ m }}_dispatch_revenue
            else expected_attribution.{{ m }}_revenue
        end
    {% endfor %}
