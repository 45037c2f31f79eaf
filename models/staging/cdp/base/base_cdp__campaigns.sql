-- One row per raw campaign row: renamed, typed, with the reason it is rejected (or NULL).
with source as (
    select * from {{ source('landing', 'campaign') }}
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
        case when campaign_name is null then 'Name' end as missing_attribute,
        {{ reject_reason_and_column([
            ["campaign_id is null", 'missing_required', 'SourceCampaignNumber'],
            ["start_date_text is not null and start_date is null", 'invalid_timestamp', 'StartDate'],
            ["end_date_text is not null and end_date is null", 'invalid_timestamp', 'EndDate'],
            ["created_at_text is not null and created_at is null", 'invalid_timestamp', 'DateCreated'],
            ["delete_flag_text is not null and is_deleted is null", 'invalid_boolean', 'DeleteFlag']
        ]) }}
    from typed
)

select * from final
