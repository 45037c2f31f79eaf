-- Conversions per paid-media platform inside the platform's window, each with the reason it
-- is left out (NULL = exported): one row per platform and conversion. The one place where
-- the rules shared by the paid-media exports live: event mapping (seed
-- ref_platform_event_map), window (macro export_effective_window_days, vars), consent (DNS,
-- deleted) and the platform's minimum identifier (export_platforms().required_any).
-- export_<platform> models read the rows without reason; export_audit counts the others.
with conversions as (
    select * from {{ ref('export_prep__conversions') }}
),

event_map as (
    select * from {{ ref('ref_platform_event_map') }}
),

consent as (
    select * from {{ ref('export_prep__customer_consent') }}
),

identifiers as (
    select * from {{ ref('export_prep__customer_identifiers') }}
),

in_window as (
    {{ export_candidates_in_window() }}
),

joined as (
    select
        in_window.*,
        consent.customer_id as consent_customer_id,
        consent.is_deleted,
        consent.do_not_sell,
        identifiers.email_sha256,
        identifiers.email_google_sha256,
        identifiers.email_uid2_base64,
        identifiers.phone_sha256,
        identifiers.phone_e164_sha256,
        identifiers.phone_uid2_base64,
        identifiers.first_name_sha256,
        identifiers.last_name_sha256,
        identifiers.city_sha256,
        identifiers.state_sha256,
        identifiers.zip_sha256,
        identifiers.country_sha256,
        identifiers.external_id_sha256
    from in_window
    left join consent
        on in_window.customer_id = consent.customer_id
    left join identifiers
        on in_window.customer_id = identifiers.customer_id
),

final as (
    select
        platform,
        conversion_id,
        conversion_type,
        platform_event_name,
        customer_id,
        organization_id,
        conversion_channel,
        organization_country_code,
        organization_country_alpha3,
        organization_state,
        organization_city,
        event_at,
        currency_code,
        conversion_value,
        number_items,
        email_sha256,
        email_google_sha256,
        email_uid2_base64,
        phone_sha256,
        phone_e164_sha256,
        phone_uid2_base64,
        first_name_sha256,
        last_name_sha256,
        city_sha256,
        state_sha256,
        zip_sha256,
        country_sha256,
        external_id_sha256,
        {{ export_exclusion_reason() }} as exclusion_reason
    from joined
)

select * from final
