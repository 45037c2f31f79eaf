-- Erasure drops only events of deleted customers: every staged event missing from fct_events
-- carries the number of a deleted customer, or no known number and the email of a deleted
-- customer (emails compared after normalize_email).
with staged as (
    select * from {{ ref('stg_cdp__events') }}
),

kept as (
    select event_id from {{ ref('fct_events') }}
),

customers as (
    select * from {{ ref('stg_cdp__customers') }}
),

deleted_emails as (
    select distinct {{ normalize_email('email') }} as email_normalized
    from customers
    where is_deleted
),

dropped as (
    select staged.*
    from staged
    left join kept
        on staged.event_id = kept.event_id
    where kept.event_id is null
),

final as (
    select dropped.*
    from dropped
    left join customers as by_number
        on dropped.customer_id = by_number.customer_id
    left join deleted_emails
        on {{ normalize_email('dropped.email') }} = deleted_emails.email_normalized
    where
        not coalesce(by_number.is_deleted, false)
        and not (by_number.customer_id is null and deleted_emails.email_normalized is not null)
)

select * from final
