-- One row per raw organization row: renamed, typed, with the reason it is rejected (or NULL).
with source as (
    select * from {{ source('landing', 'organization') }}{{ landing_increment_filter('organization') }}
),

renamed as (
    select
        {{ landing_lineage_columns() }},
        {{ clean_text('SourceOrganizationNumber') }} as organization_id,
        {{ clean_text('Name') }} as organization_name,
        lower({{ clean_text('Type') }}) as organization_type,
        upper({{ clean_text('Country') }}) as country_code,
        {{ clean_text('State') }} as state,
        {{ clean_text('City') }} as city,
        {{ clean_text('TimeZone') }} as time_zone,
        {{ clean_text('DeleteFlag') }} as delete_flag_text
    from source
),

{{ line_copy_numbers('renamed') }}

typed as (
    select
        *,
        {{ parse_boolean('delete_flag_text') }} as is_deleted
    from numbered
),

final as (
    select
        *,
        case
            {{ structural_reject_checks() }}
            when organization_id is null or organization_name is null then 'missing_required'
            when delete_flag_text is not null and is_deleted is null then 'invalid_boolean'
            when organization_type is not null and organization_type not in ('store', 'web') then 'invalid_value'
        end as reject_reason
    from typed
)

select * from final
