-- One row per raw customer row: renamed, typed, with the reason it is rejected (or NULL).
-- Identifiers stay as delivered (trimmed); normalization for matching happens downstream.
with source as (
    select * from {{ source('landing', 'customer') }}
),

renamed as (
    select
        {{ landing_lineage_columns() }},
        {{ clean_text('SourceCustomerNumber') }} as customer_id,
        {{ clean_text('FirstName') }} as first_name,
        {{ clean_text('LastName') }} as last_name,
        {{ clean_text('Email') }} as email,
        {{ clean_text('MobilePhone') }} as mobile_phone,
        {{ clean_text('PrimaryPhone') }} as primary_phone,
        {{ clean_text('Address1') }} as address_1,
        {{ clean_text('City') }} as city,
        {{ clean_text('State') }} as state,
        {{ clean_text('ZipCode') }} as zip_code,
        upper({{ clean_text('Country') }}) as country_code,
        {{ clean_text('BirthDate') }} as birth_date_text,
        upper({{ clean_text('Gender') }}) as gender,
        {{ clean_text('Preferences') }} as preferences,
        {{ clean_text('DateCreated') }} as created_at_text,
        {{ clean_text('DateModified') }} as modified_at_text,
        {{ clean_text('DeleteFlag') }} as delete_flag_text
    from source
),

{{ line_copy_numbers('renamed') }}

typed as (
    select
        *,
        cast({{ parse_timestamp_utc('birth_date_text') }} as date) as birth_date,
        {{ parse_timestamp_utc('created_at_text') }} as created_at,
        {{ parse_timestamp_utc('modified_at_text') }} as modified_at,
        {{ parse_boolean('delete_flag_text') }} as is_deleted
    from numbered
),

final as (
    select
        *,
        {{ reject_reason_and_column([
            ["customer_id is null", 'missing_required', 'SourceCustomerNumber'],
            ["birth_date_text is not null and birth_date is null", 'invalid_timestamp', 'BirthDate'],
            ["created_at_text is not null and created_at is null", 'invalid_timestamp', 'DateCreated'],
            ["modified_at_text is not null and modified_at is null", 'invalid_timestamp', 'DateModified'],
            ["delete_flag_text is not null and is_deleted is null", 'invalid_boolean', 'DeleteFlag']
        ]) }}
    from typed
)

select * from final
