-- No clear-text email, phone, name or street address leaves in a paid-media export: every
-- column of every paid-media export table (file columns and internal ones alike) is scanned
-- for an '@' and for values equal (trimmed, case-insensitive) to any customer's email, phone
-- (as delivered, E.164, E.164 digits), first or last name or street address. Returns hits.
with customers as (
    select * from {{ ref('stg_cdp__customers') }}
),

identifiers as (
    select * from {{ ref('int_export__customer_identifiers') }}
),

clear_values as (
    select email as clear_value from customers
    union all
    select mobile_phone from customers
    union all
    select primary_phone from customers
    union all
    select first_name from customers
    union all
    select last_name from customers
    union all
    select address_1 from customers
    union all
    select email_normalized from identifiers
    union all
    select phone_e164 from identifiers
    union all
    select {{ dbt.replace('phone_e164', "'+'", "''") }} from identifiers
),

pii as (
    select distinct lower(trim(clear_value)) as clear_value
    from clear_values
    where length(trim(clear_value)) >= 2
),

scanned as (
    {{ export_scan_paid_media_columns() }}
)

select
    scanned.platform,
    scanned.column_name,
    scanned.scanned_value
from scanned
where
    scanned.scanned_value like '%@%'
    or lower(trim(scanned.scanned_value)) in (select pii.clear_value from pii)
