-- Erasure drops only events of deleted customers: every staged event missing from fct_events
-- carries the number of a deleted customer, or no known number and the email of a deleted
-- customer (emails compared after normalize_email), or is anonymous (no number, no email) with a
-- cookie some staged event of a deleted customer carries (a deleted customer's cookie).
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

deleted_customer_cookies as (
    select distinct staged.cookie
    from staged
    left join customers as by_number
        on staged.customer_id = by_number.customer_id
    left join deleted_emails
        on {{ normalize_email('staged.email') }} = deleted_emails.email_normalized
    where
        staged.cookie is not null
        and (
            coalesce(by_number.is_deleted, false)
            or (by_number.customer_id is null and deleted_emails.email_normalized is not null)
        )
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
    left join deleted_customer_cookies
        on dropped.cookie = deleted_customer_cookies.cookie
    where
        not coalesce(by_number.is_deleted, false)
        and not (by_number.customer_id is null and deleted_emails.email_normalized is not null)
        and not (
            dropped.customer_id is null
            and dropped.email is null
            and deleted_customer_cookies.cookie is not null
        )
)

select * from final
