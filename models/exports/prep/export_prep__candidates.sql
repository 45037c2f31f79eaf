-- Conversions per paid-media platform inside the platform's window, each with the reason it
-- is left out (NULL = exported): one row per platform and conversion. The one place where
-- the rules shared by the paid-media exports live: event mapping (seed
-- ref_platform_event_map), window (macro export_effective_window_days, vars), consent (DNS,
-- deleted) and the platform's minimum identifier (export_platforms().required_any).
-- export_<platform> models read the rows without reason; export_audit counts the others.
{#- Meta's first-load window depends on what earlier runs sent and wrote: the export history,
    read as a source (a ref to export_ledger would be a cycle - the ledger is built from the
    exports this model feeds; _exports__sources.yml), looked up first because it does not
    exist before the first build. -#}
{%- set ledger_history = export_existing_relation(source('export_history', 'export_ledger')) -%}
{%- set written_files = export_existing_relation(source('export_history', 'export_files')) -%}
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

-- Conversions inside each paid-media platform's window, with the platform's event name.
in_window as (
    {%- for platform in export_platform_names(paid_media=true) %}
        {%- set p = platforms[platform] %}
        {%- set window_days = export_effective_window_days(platform, ledger_history, written_files) %}
        select
            event_map.platform,
            event_map.platform_event_name,
            conversions.*
        from conversions
        inner join event_map
            on
                conversions.conversion_type = event_map.cdp_event_type
                and event_map.platform = '{{ platform }}'
        where
            {{ export_in_window('conversions.event_at', window_days) }}
            {%- if p.get('website_max_days') %}
                and (
                    conversions.conversion_channel <> 'web'
                    or conversions.event_at >= {{ export_window_start(p['website_max_days']) }}
                )
            {%- endif %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
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
            {%- for platform in export_platform_names(paid_media=true) %}
                {%- set p = platforms[platform] %}
                {%- if p.get('country') %}
                    when
                        platform = '{{ platform }}'
                        and coalesce(upper(organization_country_code), '') <> '{{ p["country"] }}'
                        then 'store_outside_{{ p["country"] | lower }}'
                {%- endif %}
                when platform = '{{ platform }}' and {{ p['required_any'] | join(' is null and ') }} is null
                    then 'no_usable_identifier'
                {%- if p.get('requires_lines') %}
                    when platform = '{{ platform }}' and number_items is null then 'no_product_lines'
                {%- endif %}
            {%- endfor %}
        end as exclusion_reason
    from joined
)

select * from final
