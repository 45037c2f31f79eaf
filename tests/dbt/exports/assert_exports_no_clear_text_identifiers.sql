-- No clear-text email, phone, name or street address leaves in a paid-media export. Every
-- column of every paid-media export table (file columns and internal ones alike) is scanned:
-- 1. for an email-shaped text anywhere in the value (local@domain.tld) - in any column,
--    whoever's email it is (a product id `@home` or an `@` alone is not an email);
-- 2. for a value equal (trimmed, case-insensitive) to one of the row's own customer's clear
--    identifiers: email, phone (as delivered, E.164, E.164 digits) in any column; first name,
--    last name or street address in the columns that come from the customer record (not in
--    the platform's business_columns - a store in the city of Lincoln is not a leak of
--    Ms Lincoln's name).
-- An identifier delivered already hashed (SHA-256 hex or Base64) is not clear text and is not
-- looked for. Returns the hits (tests/python/test_exports_pii_guard.py plants leaks).
with customers as (
    select * from {{ ref('stg_cdp__customers') }}
),

identifiers as (
    select * from {{ ref('export_prep__customer_identifiers') }}
),

clear_values as (
    select
        customer_id,
        'contact' as value_kind,
        email as clear_value
    from customers
    union all
    select
        customer_id,
        'contact' as value_kind,
        mobile_phone as clear_value
    from customers
    union all
    select
        customer_id,
        'contact' as value_kind,
        primary_phone as clear_value
    from customers
    union all
    select
        customer_id,
        'name_or_address' as value_kind,
        first_name as clear_value
    from customers
    union all
    select
        customer_id,
        'name_or_address' as value_kind,
        last_name as clear_value
    from customers
    union all
    select
        customer_id,
        'name_or_address' as value_kind,
        address_1 as clear_value
    from customers
    union all
    select
        customer_id,
        'contact' as value_kind,
        email_normalized as clear_value
    from identifiers
    union all
    select
        customer_id,
        'contact' as value_kind,
        phone_e164 as clear_value
    from identifiers
    union all
    select
        customer_id,
        'contact' as value_kind,
        {{ dbt.replace('phone_e164', "'+'", "''") }} as clear_value
    from identifiers
),

pii as (
    select distinct
        customer_id,
        value_kind,
        lower(trim(clear_value)) as clear_value
    from clear_values
    where
        length(trim(clear_value)) >= 2
        and not coalesce({{ regexp_matches_full('lower(trim(clear_value))', '[0-9a-f]{64}') }}, false)
        and not coalesce({{ regexp_matches_full('trim(clear_value)', '[A-Za-z0-9+/]{43}=') }}, false)
),

-- every column of every paid-media export as text: platform, column_name,
-- is_business_column (one of the platform's business_columns: order / product / store values,
-- never from the customer record), cdp_customer_id (the row's customer) and scanned_value
{%- set exports = {
        'meta': ref('export_meta'),
        'the_trade_desk': ref('export_the_trade_desk'),
        'tiktok': ref('export_tiktok'),
        'pinterest': ref('export_pinterest'),
        'snapchat': ref('export_snapchat'),
        'criteo': ref('export_criteo'),
        'google_enhanced_conversions': ref('export_google_enhanced_conversions'),
    } %}
{%- set platforms = export_platforms() %}
{%- set branches = [] %}
{%- for platform, relation in exports.items() %}
    {%- set business = platforms.get(platform, {}).get('business_columns', []) %}
    {%- if execute %}
        {%- for column in adapter.get_columns_in_relation(relation) %}
            {%- do branches.append("select '" ~ platform ~ "' as platform, '" ~ column.name
                ~ "' as column_name, " ~ ('true' if column.name | lower in business else 'false')
                ~ " as is_business_column, cdp_customer_id, cast(" ~ column.name ~ " as " ~ dbt.type_string()
                ~ ") as scanned_value from " ~ relation) %}
        {%- endfor %}
    {%- endif %}
{%- endfor %}
{%- if not branches %}
    {%- do branches.append("select cast(null as " ~ dbt.type_string() ~ ") as platform, cast(null as "
        ~ dbt.type_string() ~ ") as column_name, false as is_business_column, cast(null as "
        ~ dbt.type_string() ~ ") as cdp_customer_id, cast(null as "
        ~ dbt.type_string() ~ ") as scanned_value") %}
{%- endif %}
scanned as (
    {{ branches | join('\n    union all\n    ') }}
),

email_shaped as (
    select
        platform,
        column_name,
        scanned_value,
        'email_shaped' as finding
    from scanned
    where {{ regexp_contains('scanned_value', '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*[.][A-Za-z]{2,}') }}
),

own_identifier as (
    select
        scanned.platform,
        scanned.column_name,
        scanned.scanned_value,
        {{ dbt.concat(["'customer_'", 'pii.value_kind']) }} as finding
    from scanned
    inner join pii
        on
            scanned.cdp_customer_id = pii.customer_id
            and lower(trim(scanned.scanned_value)) = pii.clear_value
    where pii.value_kind = 'contact' or not scanned.is_business_column
)

select * from email_shaped
union all
select * from own_identifier
