-- One row per raw message row: renamed, typed, with the reason it is rejected (or NULL).
-- The orphan check (dispatch unknown) is made downstream, against accepted dispatches.
with source as (
    select * from {{ source('landing', 'message') }}
),

renamed as (
    select
        {{ landing_lineage_columns() }},
        {{ clean_text('SourceMessageNumber') }} as message_id,
        {{ clean_text('SourceDispatchNumber') }} as dispatch_id,
        {{ clean_text('Name') }} as message_name,
        {{ clean_text('Subject') }} as subject,
        {{ clean_text('Content') }} as content,
        {{ clean_text('SendDate') }} as send_at_text,
        {{ clean_text('MessageFrom') }} as message_from,
        {{ clean_text('Links') }} as links,
        {{ clean_text('Variant') }} as variant,
        {{ clean_text('Cost') }} as cost_text,
        {{ clean_text('AttributionStartDate') }} as attribution_start_date_text,
        {{ clean_text('AttributionWindow') }} as attribution_window_text,
        {{ clean_text('DateCreated') }} as created_at_text,
        {{ clean_text('DeleteFlag') }} as delete_flag_text
    from source
),

{{ line_copy_numbers('renamed') }}

typed as (
    select
        *,
        {{ parse_timestamp_utc('send_at_text') }} as send_at,
        {{ safe_to_decimal('cost_text') }} as cost,
        cast({{ parse_timestamp_utc('attribution_start_date_text') }} as date) as attribution_start_date,
        cast({{ safe_to_integer('attribution_window_text') }} as integer) as attribution_window_days,
        {{ parse_timestamp_utc('created_at_text') }} as created_at,
        {{ parse_boolean('delete_flag_text') }} as is_deleted
    from numbered
),

final as (
    select
        *,
        case when message_name is null then 'Name' end as missing_attribute,
        {{ reject_reason_and_column([
            ["message_id is null", 'missing_required', 'SourceMessageNumber'],
            ["dispatch_id is null", 'missing_required', 'SourceDispatchNumber'],
            ["send_at_text is not null and send_at is null", 'invalid_timestamp', 'SendDate'],
            ["attribution_start_date_text is not null and attribution_start_date is null", 'invalid_timestamp', 'AttributionStartDate'],
            ["created_at_text is not null and created_at is null", 'invalid_timestamp', 'DateCreated'],
            ["cost_text is not null and cost is null", 'invalid_number', 'Cost'],
            ["attribution_window_text is not null and attribution_window_days is null", 'invalid_number', 'AttributionWindow'],
            ["delete_flag_text is not null and is_deleted is null", 'invalid_boolean', 'DeleteFlag']
        ]) }}
    from typed
)

select * from final
