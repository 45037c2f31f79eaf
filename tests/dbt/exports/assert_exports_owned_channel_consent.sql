-- Owned channels: no deleted customer in Braze or Klaviyo; DNE=Y customers have no email in
-- Braze and are not in Klaviyo (keyed by email); DNC=Y customers have no phone.
with customers as (
    select * from {{ ref('stg_cdp__customers') }}
),

braze as (
    select
        'braze' as platform,
        braze.external_id as customer_id,
        braze.email is not null as has_email,
        braze.phone is not null as has_phone
    from {{ ref('export_braze') }} as braze
),

klaviyo as (
    select
        'klaviyo' as platform,
        klaviyo.external_id as customer_id,
        true as has_email,
        klaviyo.phone_number is not null as has_phone
    from {{ ref('export_klaviyo') }} as klaviyo
),

owned as (
    select * from braze
    union all
    select * from klaviyo
)

select
    owned.platform,
    owned.customer_id,
    customers.is_deleted,
    customers.do_not_email,
    customers.do_not_call
from owned
left join customers
    on owned.customer_id = customers.customer_id
where
    customers.customer_id is null
    or customers.is_deleted
    or (customers.do_not_email and owned.has_email)
    or (customers.do_not_call and owned.has_phone)
