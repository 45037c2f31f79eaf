-- The Trade Desk offline conversions: one row per purchase in a United States store inside
-- the window (25 days, never older) and identifier - a purchase whose customer has both a
-- usable email and phone gives two rows with the same OrderId. email_hash / phone_hash are
-- the UID2 input form: Base64 of the SHA-256 bytes (UID2 email normalization; `+E.164`).
with candidates as (
    select * from {{ ref('export_prep__candidates') }}
    where platform = 'the_trade_desk' and exclusion_reason is null
),

identifiers as (
    select
        conversion_id,
        'email' as identifier_type,
        email_uid2_base64 as email_hash,
        cast(null as {{ dbt.type_string() }}) as phone_hash
    from candidates
    where email_uid2_base64 is not null
    union all
    select
        conversion_id,
        'phone' as identifier_type,
        cast(null as {{ dbt.type_string() }}) as email_hash,
        phone_uid2_base64 as phone_hash
    from candidates
    where phone_uid2_base64 is not null
),

final as (
    select
        {{ export_format_timestamp('candidates.event_at', 'iso_utc') }} as timestamp_utc,
        {{ export_var_literal('export_the_trade_desk_tracking_tag_id') }} as tracking_tag_id,
        candidates.platform_event_name as event_name,
        candidates.conversion_value as value,
        candidates.currency_code as value_currency,
        {{ export_capped_id('candidates.conversion_id') }} as order_id,
        candidates.organization_country_alpha3 as country,
        candidates.organization_state as region,
        candidates.organization_city as city,
        identifiers.email_hash,
        identifiers.phone_hash,
        identifiers.identifier_type,
        candidates.conversion_id as export_key,
        candidates.customer_id as cdp_customer_id,
        candidates.conversion_type as cdp_conversion_type,
        candidates.event_at
    from candidates
    inner join identifiers
        on candidates.conversion_id = identifiers.conversion_id
)

select * from final
