-- One row per raw event row: renamed, typed, keyed, with the reason it is rejected (or NULL).
-- The feed has no event key: event_id is derived from the event's contract fields, so the
-- same event delivered again in a later file gets the same id (and is merged, not doubled).
{#- A plausible event time: not before var event_timestamp_earliest, and before the end of the
    day after the delivering file's day (the as_of + 1 day of the run that loads it, fixed per
    file so that a re-run and a full refresh judge a row alike). Epoch seconds read as
    milliseconds land in 1970 and fail the first bound. -#}
{% set earliest = 'cast(' ~ sql_string(var('event_timestamp_earliest')) ~ ' as ' ~ dbt.type_timestamp() ~ ')' %}
{% set latest = dbt.dateadd('day', 2, dbt.date_trunc('day', 'file_loaded_at')) %}
with source as (
    select * from {{ source('landing', 'event') }}
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
        {{ reject_reason_and_column([
            ["event_type is null", 'missing_required', 'Type'],
            ["event_timestamp_text is null", 'missing_required', 'EventTimeStamp'],
            ["customer_id is null and email is null and cookie is null and session_id is null", 'missing_identity', 'SourceCustomerNumber'],
            ["event_at is null or event_at < " ~ earliest ~ " or event_at >= " ~ latest, 'invalid_timestamp', 'EventTimeStamp'],
            ["event_value_text is not null and event_value is null", 'invalid_number', 'Value']
        ]) }}
    from typed
)

select * from final
