-- Customers: one row per live (not soft-deleted) customer_id; deleted customers are erased.
with customers as (
    select * from {{ ref('stg_cdp__customers') }}
),

identities as (
    select * from {{ ref('int_customers__normalized') }}
),

final as (
    select
        customers.customer_id,
        customers.first_name,
        customers.last_name,
        customers.email,
        identities.email_normalized,
        customers.mobile_phone,
        customers.primary_phone,
        customers.address_1,
        customers.city,
        customers.state,
        customers.zip_code,
        customers.country_code,
        customers.birth_date,
        customers.gender,
        customers.do_not_email,
        customers.do_not_call,
        customers.do_not_sell,
        customers.created_at,
        customers.modified_at,
        customers.custom_attributes
    from customers
    inner join identities
        on customers.customer_id = identities.customer_id
    where not customers.is_deleted
)

select * from final
