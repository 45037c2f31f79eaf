-- Customers who performed an event type between two local dates (both included).
-- Vars: segment_event_type (default emailClick), segment_start_date / segment_end_date
-- (YYYY-MM-DD; default the 30 days before as_of). Run: docs/marts.md "Example analyses".
{%- set as_of_date = "cast('" ~ as_of() ~ "' as date)" %}
{%- set start_date = var('segment_start_date', none) %}
{%- set end_date = var('segment_end_date', none) %}
with daily as (
    select * from {{ ref('fct_customer_event_daily') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

performed as (
    select
        customer_id,
        sum(event_count) as event_count,
        min(first_at) as first_at,
        max(last_at) as last_at
    from daily
    where
        event_type = '{{ var("segment_event_type", "emailClick") }}'
        and event_local_date >= {{ "cast('" ~ start_date ~ "' as date)" if start_date
            else dbt.dateadd('day', -30, as_of_date) }}
        and event_local_date <= {{ "cast('" ~ end_date ~ "' as date)" if end_date
            else dbt.dateadd('day', -1, as_of_date) }}
    group by customer_id
),

final as (
    select
        customers.customer_id,
        customers.email,
        customers.first_name,
        customers.last_name,
        performed.event_count,
        performed.first_at,
        performed.last_at
    from performed
    inner join customers
        on performed.customer_id = customers.customer_id
)

select * from final
order by customer_id
