-- One row per raw organization row: renamed, typed, with the reason it is rejected (or NULL).
with source as (
    select * from {{ source('landing', 'organization') }}
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
        case when organization_name is null then 'Name' end as missing_attribute,
        {{ reject_reason_and_column([
            ["organization_id is null", 'missing_required', 'SourceOrganizationNumber'],
            ["delete_flag_text is not null and is_deleted is null", 'invalid_boolean', 'DeleteFlag'],
            ["organization_type is not null and organization_type not in ('store', 'web')", 'invalid_value', 'Type']
        ]) }}
    from typed
)

select * from final
