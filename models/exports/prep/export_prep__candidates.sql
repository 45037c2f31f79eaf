-- Conversions per paid-media platform inside the platform's window, each with the reason it
-- is left out (NULL = exported): one row per platform and conversion. The one place where
-- the rules shared by the paid-media exports are applied: event mapping (seed
-- ref_platform_event_map), window (export_file_status.window_days: the platform's var, or
-- Meta's first load), website limit, country and product-line rules (export_platform_settings),
-- consent (DNS, deleted) and the platform's minimum identifier (required_any in the export
-- model's YAML - it names columns, so it is applied here in Jinja).
-- export_<platform> models read the rows without reason; export_audit counts the others.
{%- set platforms = export_platforms() %}
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

settings as (
    select * from {{ ref('export_platform_settings') }}
    where is_paid_media
),

file_status as (
    select * from {{ ref('export_file_status') }}
),

-- Conversions inside each paid-media platform's window, with the platform's event name and rules.
in_window as (
    select
        event_map.platform,
        event_map.platform_event_name,
        settings.required_country,
        settings.requires_lines,
        conversions.*
    from conversions
    inner join event_map
        on conversions.conversion_type = event_map.cdp_event_type
    inner join settings
        on event_map.platform = settings.platform
    inner join file_status
        on event_map.platform = file_status.platform
    where
        {{ export_in_window('conversions.event_at', 'file_status.window_days') }}
        and (
            settings.website_max_days is null
            or conversions.conversion_channel <> 'web'
            or conversions.event_at >= {{ export_window_start('settings.website_max_days') }}
        )
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
        -- the first that applies of consent, the platform's country, identifier and line rules
        case
            when consent_customer_id is null then 'unknown_customer'
            when is_deleted then 'customer_deleted'
            when do_not_sell then 'do_not_sell'
            when
                required_country is not null
                and coalesce(upper(organization_country_code), '') <> required_country
                then {{ dbt.concat(["'store_outside_'", 'lower(required_country)']) }}
            {%- for platform in export_platform_names(paid_media=true) %}
                when
                    platform = {{ closedloop.sql_string(platform) }}
                    and {{ platforms[platform]['required_any'] | join(' is null and ') }} is null
                    then 'no_usable_identifier'
            {%- endfor %}
            when requires_lines and number_items is null then 'no_product_lines'
        end as exclusion_reason
    from joined
)

select * from final
