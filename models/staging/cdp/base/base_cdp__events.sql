-- One row per raw event row: renamed, typed, keyed, with the reason it is rejected (or NULL).
-- The feed has no event key: event_id is derived from the event's contract fields, so the
-- same event delivered again in a later file gets the same id (and is merged, not doubled).
with source as (
    select * from {{ source('landing', 'event') }}{{ landing_increment_filter('event') }}
),

renamed as (
    select
        {{ landing_lineage_columns() }},
        {{ clean_text('Type') }} as event_type,
        {{ clean_text('EventTimeStamp') }} as event_timestamp_text,
        {{ clean_text('SourceCustomerNumber') }} as customer_id,
        {{ clean_text('Email') }} as email,
        {{ clean_text('Subtype') }} as event_subtype,
        {{ clean_text('SourceMessageNumber') }} as message_id,
        {{ clean_text('Cookie') }} as cookie,
        {{ clean_text('SessionID') }} as session_id,
        {{ clean_text('URL') }} as url,
        {{ clean_text('SourceProductNumber') }} as product_id,
        {{ clean_text('SourceTransactionNumber') }} as transaction_id,
        {{ clean_text('Value') }} as event_value_text
    from source
),

{{ line_copy_numbers('renamed') }}

typed as (
    select
        *,
        {{ surrogate_key([
            'event_type', 'event_timestamp_text', 'customer_id', 'lower(email)', 'event_subtype',
            'message_id', 'cookie', 'session_id', 'url', 'product_id', 'transaction_id',
            'event_value_text']) }} as event_id,
        {{ epoch_ms_to_timestamp('event_timestamp_text') }} as event_at,
        {{ safe_to_decimal('event_value_text') }} as event_value
    from numbered
),

final as (
    select
        *,
        case
            {{ structural_reject_checks() }}
            when event_type is null or event_timestamp_text is null then 'missing_required'
            when customer_id is null and email is null then 'missing_identity'
            when event_at is null then 'invalid_timestamp'
            when event_value_text is not null and event_value is null then 'invalid_number'
        end as reject_reason
    from typed
)

select * from final
