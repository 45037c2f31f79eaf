-- One row per raw message row: renamed, typed, with the reason it is rejected (or NULL).
-- The orphan check (dispatch unknown) is made downstream, against accepted dispatches.
with source as (
    select * from {{ source('landing', 'message') }}{{ landing_increment_filter('message') }}
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
        case
            {{ structural_reject_checks() }}
            when message_id is null or dispatch_id is null or message_name is null then 'missing_required'
            when
                (send_at_text is not null and send_at is null)
                or (attribution_start_date_text is not null and attribution_start_date is null)
                or (created_at_text is not null and created_at is null)
                then 'invalid_timestamp'
            when
                (cost_text is not null and cost is null)
                or (attribution_window_text is not null and attribution_window_days is null)
                then 'invalid_number'
            when delete_flag_text is not null and is_deleted is null then 'invalid_boolean'
        end as reject_reason
    from typed
)

select * from final
