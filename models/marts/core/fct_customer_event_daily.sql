-- Daily event activity per customer for segmentation: one row per resolved customer, event
-- type and local day (var reporting_timezone).
with events as (
    select * from {{ ref('fct_events') }}
    where customer_id is not null
),

final as (
    select
        customer_id,
        event_type,
        event_local_date,
        min(channel) as channel,
        min(category) as category,
        min(activity) as activity,
        count(*) as event_count,
        min(event_at) as first_at,
        max(event_at) as last_at
    from events
    group by customer_id, event_type, event_local_date
)

select * from final
