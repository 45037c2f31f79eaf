-- One row per raw campaign row: renamed, typed, with the reason it is rejected (or NULL).
with source as (
    select * from {{ source('landing', 'campaign') }}{{ landing_increment_filter('campaign') }}
),

renamed as (
    select
        {{ landing_lineage_columns() }},
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

{{ line_copy_numbers('renamed') }}

typed as (
    select
        *,
        cast({{ parse_timestamp_utc('start_date_text') }} as date) as start_date,
        cast({{ parse_timestamp_utc('end_date_text') }} as date) as end_date,
        {{ parse_timestamp_utc('created_at_text') }} as created_at,
        {{ parse_boolean('delete_flag_text') }} as is_deleted
    from numbered
),

final as (
    select
        *,
        case
            {{ structural_reject_checks() }}
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
