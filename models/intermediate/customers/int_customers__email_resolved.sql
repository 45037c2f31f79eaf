-- One row per normalized email: the non-deleted customer an email-only event resolves to.
-- Several live customers on one email: the most recently changed wins (DateModified, else
-- DateCreated; then the smallest customer_id) - docs/decisions/marts.md.
with customers as (
    select * from {{ ref('int_customers__normalized') }}
    where email_normalized is not null
),

ranked as (
    select
        email_normalized,
        customer_id,
        is_deleted,
        row_number() over (
            partition by email_normalized
            order by
                case when is_deleted then 1 else 0 end asc,
                last_changed_at desc nulls last,
                customer_id asc
        ) as customer_rank,
        sum(case when is_deleted then 0 else 1 end) over (
            partition by email_normalized
        ) as live_customer_count,
        sum(case when is_deleted then 1 else 0 end) over (
            partition by email_normalized
        ) as deleted_customer_count
    from customers
),

final as (
    select
        email_normalized,
        case when not is_deleted then customer_id end as customer_id,
        live_customer_count,
        deleted_customer_count
    from ranked
    where customer_rank = 1
)

select * from final
