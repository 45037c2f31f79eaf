-- Message activity per customer for segmentation: one row per resolved customer and live
-- message with at least one event. Activities come from seed ref_event_types; "converted" =
-- the customer made a purchase whose local date lies in the message's effective attribution
-- window [start, start + window days) - a flag, not an attribution (no credit is split).
-- Message, dispatch and campaign names are carried for segment queries (analyses/).
{%- set activities = ['sent', 'delivered', 'opened', 'clicked', 'bounced', 'unsubscribed'] %}
with events as (
    select * from {{ ref('fct_events') }}
    where customer_id is not null and message_id is not null
),

messages as (
    -- dim_campaign_hierarchy: one row per live message (dim_messages) with its dispatch's and
    -- campaign's names
    select * from {{ ref('dim_campaign_hierarchy') }}
),

purchases as (
    select * from {{ ref('fct_transactions') }}
    where not is_return
),

activity as (
    select
        customer_id,
        message_id,
        {% for a in activities %}
            count(case when activity = '{{ a }}' then 1 end) as {{ a }}_count,
            min(case when activity = '{{ a }}' then event_at end) as first_{{ a }}_at,
            max(case when activity = '{{ a }}' then event_at end) as last_{{ a }}_at,
        {% endfor %}
        count(*) as event_count
    from events
    group by customer_id, message_id
),

conversions as (
    select
        activity.customer_id,
        activity.message_id,
        count(*) as converted_count,
        min(purchases.transaction_at) as first_converted_at,
        max(purchases.transaction_at) as last_converted_at
    from activity
    inner join messages
        on activity.message_id = messages.message_id
    inner join purchases
        on
            activity.customer_id = purchases.customer_id
            and messages.effective_attribution_start_date <= purchases.transaction_local_date
            and {{ dbt.dateadd(
                'day', 'messages.effective_attribution_window_days', 'messages.effective_attribution_start_date'
            ) }} > purchases.transaction_local_date
    group by activity.customer_id, activity.message_id
),

final as (
    select
        activity.customer_id,
        activity.message_id,
        messages.dispatch_id,
        messages.campaign_id,
        messages.message_name,
        messages.dispatch_name,
        messages.campaign_name,
        messages.channel,
        messages.is_holdout,
        {% for a in activities %}
            activity.{{ a }}_count > 0 as is_{{ a }},
            activity.{{ a }}_count,
            activity.first_{{ a }}_at,
            activity.last_{{ a }}_at,
        {% endfor %}
        coalesce(conversions.converted_count, 0) > 0 as is_converted,
        coalesce(conversions.converted_count, 0) as converted_count,
        conversions.first_converted_at,
        conversions.last_converted_at
    from activity
    inner join messages
        on activity.message_id = messages.message_id
    left join conversions
        on
            activity.customer_id = conversions.customer_id
            and activity.message_id = conversions.message_id
)

select * from final
