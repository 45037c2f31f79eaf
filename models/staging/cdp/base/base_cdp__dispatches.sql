-- One row per raw dispatch row: renamed, typed, with the reason it is rejected (or NULL).
-- The orphan check (campaign unknown) is made downstream, against accepted campaigns.
with source as (
    select * from {{ source('landing', 'dispatch') }}
),

renamed as (
    select
        {{ landing_lineage_columns() }},
        {{ clean_text('SourceDispatchNumber') }} as dispatch_id,
        {{ clean_text('Name') }} as dispatch_name,
        {{ clean_text('SourceCampaignNumber') }} as campaign_id,
        {{ clean_text('Type') }} as dispatch_type,
        {{ clean_text('SubType') }} as dispatch_subtype,
        {{ clean_text('DateCreated') }} as created_at_text,
        {{ clean_text('AttributionStartDate') }} as attribution_start_date_text,
        {{ clean_text('AttributionWindow') }} as attribution_window_text,
        {{ clean_text('DeleteFlag') }} as delete_flag_text
    from source
),

{{ line_copy_numbers('renamed') }}

typed as (
    select
        *,
        {{ parse_timestamp_utc('created_at_text') }} as created_at,
        cast({{ parse_timestamp_utc('attribution_start_date_text') }} as date) as attribution_start_date,
        cast({{ safe_to_integer('attribution_window_text') }} as integer) as attribution_window_days,
        {{ parse_boolean('delete_flag_text') }} as is_deleted
    from numbered
),

final as (
    select
        *,
        case when dispatch_name is null then 'Name' end as missing_attribute,
        {{ reject_reason_and_column([
            ["dispatch_id is null", 'missing_required', 'SourceDispatchNumber'],
            ["campaign_id is null", 'missing_required', 'SourceCampaignNumber'],
            ["created_at_text is not null and created_at is null", 'invalid_timestamp', 'DateCreated'],
            ["attribution_start_date_text is not null and attribution_start_date is null", 'invalid_timestamp', 'AttributionStartDate'],
            ["attribution_window_text is not null and attribution_window_days is null", 'invalid_number', 'AttributionWindow'],
            ["delete_flag_text is not null and is_deleted is null", 'invalid_boolean', 'DeleteFlag']
        ]) }}
    from typed
)

select * from final
