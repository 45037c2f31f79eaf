{{ config(
    materialized='incremental',
    pre_hook="{{ delete_reloaded_files('campaign') }}"
) }}

-- One row per raw campaign row: renamed, typed, with the reason it is rejected (or NULL).
with source as (
    select * from {{ source('landing', 'campaign') }}{{ landing_increment_filter('campaign') }}
),

renamed as (
    select
        _source_file as source_file,
        _source_system as source_system,
        _file_loaded_at as file_loaded_at,
        _row_number as source_row_number,
        _load_order as load_order,
        _raw as raw_row,
        _custom_attributes as custom_attributes,
        _extra_fields as extra_fields,
        {{ clean_text('SourceCampaignNumber') }} as campaign_id,
        {{ clean_text('Name') }} as campaign_name,
        {{ clean_text('Description') }} as campaign_description,
        {{ clean_text('Type') }} as campaign_type,
        {{ clean_text('StartDate') }} as start_date_text,
        {{ clean_text('EndDate') }} as end_date_text,
        {{ clean_text('DateCreated') }} as created_at_text,
        {{ clean_text('DeleteFlag') }} as delete_flag_text
    from source
),

typed as (
    select
        *,
        cast({{ parse_timestamp_utc('start_date_text') }} as date) as start_date,
        cast({{ parse_timestamp_utc('end_date_text') }} as date) as end_date,
        {{ parse_timestamp_utc('created_at_text') }} as created_at,
        {{ parse_boolean('delete_flag_text') }} as is_deleted,
        row_number() over (partition by source_file, raw_row order by source_row_number) as copy_number
    from renamed
),

final as (
    select
        *,
        case
            when extra_fields > 0 then 'malformed_row'
            when copy_number > 1 then 'duplicate_row'
            when campaign_id is null or campaign_name is null then 'missing_required'
            when
                (start_date_text is not null and start_date is null)
                or (end_date_text is not null and end_date is null)
                or (created_at_text is not null and created_at is null)
                then 'invalid_timestamp'
            when delete_flag_text is not null and is_deleted is null then 'invalid_boolean'
        end as reject_reason
    from typed
)

select * from final
