-- Customers who were sent a (non-holdout) message of a channel and converted on none of
-- them: no purchase in any of those messages' attribution windows.
-- Vars: segment_channel (default direct_mail; email, sms, ...), segment_campaign_id
-- (optional: only that campaign's messages).
{%- set campaign_id = var('segment_campaign_id', none) %}
{%- set campaign_filter = "campaign_id = '" ~ campaign_id ~ "'" if campaign_id else "1 = 1" %}
with activity as (
    select * from {{ ref('fct_customer_message_activity') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

mailed as (
    select
        customer_id,
        count(*) as messages_sent,
        max(last_sent_at) as last_sent_at,
        max(case when is_converted then 1 else 0 end) as has_converted
    from activity
    where
        is_sent
        and not is_holdout
        and channel = '{{ var("segment_channel", "direct_mail") }}'
        and {{ campaign_filter }}
    group by customer_id
),

final as (
    select
        customers.customer_id,
        customers.email,
        customers.first_name,
        customers.last_name,
        mailed.messages_sent,
        mailed.last_sent_at
    from mailed
    inner join customers
        on mailed.customer_id = customers.customer_id
    where mailed.has_converted = 0
)

select * from final
order by customer_id
