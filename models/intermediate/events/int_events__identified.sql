-- Events with the customer their own identifiers name: one row per event_id of staging.
-- Step 1 of the resolution (step 2, the cookie, is int_events__customer_resolved).
-- Order: a SourceCustomerNumber of a known customer wins; otherwise the normalized email of
-- a live customer (int_customers__email_resolved). An event of a deleted customer, by number or
-- by an email only deleted customers carry, is 'erased' and left out of the marts.
with events as (
    select * from {{ ref('stg_cdp__events') }}
),

customers as (
    select * from {{ ref('int_customers__normalized') }}
),

email_matches as (
    select * from {{ ref('int_customers__email_resolved') }}
),

events_with_number as (
    select
        events.*,
        customers.customer_id as number_customer_id,
        customers.is_deleted as is_number_customer_deleted
    from events
    left join customers
        on events.customer_id = customers.customer_id
),

-- The email is normalized (a regex per row) only where it is used: for events without a
-- known customer number, a few percent of them.
events_with_email as (
    select
        *,
        case
            when number_customer_id is null then {{ normalize_email('email') }}
        end as email_normalized
    from events_with_number
),

resolved as (
    select
        events_with_email.*,
        email_matches.email_normalized as matched_email,
        email_matches.customer_id as email_customer_id
    from events_with_email
    left join email_matches
        on events_with_email.email_normalized = email_matches.email_normalized
),

final as (
    select
        event_id,
        event_type,
        event_subtype,
        event_at,
        customer_id as source_customer_id,
        case
            when number_customer_id is null then email_customer_id
            when not is_number_customer_deleted then number_customer_id
        end as customer_id,
        case
            when number_customer_id is not null and is_number_customer_deleted then 'erased'
            when number_customer_id is not null then 'customer_number'
            when email_customer_id is not null then 'email'
            when matched_email is not null then 'erased'
            else 'unresolved'
        end as customer_resolution,
        email is not null as has_email,
        message_id,
        cookie,
        session_id,
        url,
        product_id,
        transaction_id,
        event_value,
        custom_attributes
    from resolved
)

select * from final
