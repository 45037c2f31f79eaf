-- Identifiers per live customer, normalized and hashed once for every export: one row per
-- customer of dim_customers. Normalization and hashing are the identity macros
-- (macros/identity/); a value a platform would reject is NULL here, never a hash of garbage.
-- Phone: the mobile number when it normalizes to E.164, else the primary phone; national
-- numbers take the calling code of the customer's country (seed ref_countries).
with customers as (
    select * from {{ ref('dim_customers') }}
),

countries as (
    select * from {{ ref('ref_countries') }}
),

normalized as (
    select
        customers.customer_id,
        customers.email_normalized,
        {{ normalize_email('customers.email', gmail_rule='google') }} as email_google_normalized,
        customers.email as email_raw,
        coalesce(
            {{ normalize_phone_e164_ref('customers.mobile_phone', 'countries') }},
            {{ normalize_phone_e164_ref('customers.primary_phone', 'countries') }}
        ) as phone_e164,
        {{ normalize_name('customers.first_name') }} as first_name_normalized,
        {{ normalize_name('customers.last_name') }} as last_name_normalized,
        {{ normalize_city('customers.city') }} as city_normalized,
        {{ normalize_state('customers.state', 'customers.country_code') }} as state_normalized,
        {{ normalize_zip('customers.zip_code', 'customers.country_code') }} as zip_normalized,
        {{ normalize_country('customers.country_code') }} as country_normalized
    from customers
    left join countries
        on {{ normalize_country('customers.country_code') }} = lower(countries.country_code)
),

final as (
    select
        customer_id,
        email_normalized,
        phone_e164,
        country_normalized,
        {{ sha256_hex('email_normalized') }} as email_sha256,
        {{ sha256_hex('email_google_normalized') }} as email_google_sha256,
        {{ uid2_email_hash('email_raw') }} as email_uid2_base64,
        {{ hash_phone('phone_e164', include_plus=false) }} as phone_sha256,
        {{ hash_phone('phone_e164') }} as phone_e164_sha256,
        {{ uid2_phone_hash('phone_e164') }} as phone_uid2_base64,
        {{ sha256_hex('first_name_normalized') }} as first_name_sha256,
        {{ sha256_hex('last_name_normalized') }} as last_name_sha256,
        {{ sha256_hex('city_normalized') }} as city_sha256,
        {{ sha256_hex('state_normalized') }} as state_sha256,
        {{ sha256_hex('zip_normalized') }} as zip_sha256,
        {{ sha256_hex('country_normalized') }} as country_sha256,
        {{ hash_external_id('customer_id') }} as external_id_sha256
    from normalized
)

select * from final
