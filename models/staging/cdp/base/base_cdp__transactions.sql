-- One row per raw transaction row: renamed, typed, with the reason it is rejected (or NULL).
with source as (
    select * from {{ source('landing', 'transaction') }}
),

currencies as (
    select currency_code from {{ ref('ref_currencies') }}
),

renamed as (
    select
        {{ landing_lineage_columns() }},
        {{ clean_text('SourceTransactionNumber') }} as transaction_id,
        {{ clean_text('SourceCustomerNumber') }} as customer_id,
        {{ clean_text('SourceOrganizationNumber') }} as organization_id,
        {{ clean_text('TransactionTimeStamp') }} as transaction_at_text,
        lower({{ clean_text('Type') }}) as transaction_type,
        {{ clean_text('Total') }} as total_amount_text,
        upper({{ clean_text('Currency') }}) as currency_code,
        {{ clean_text('Discount') }} as discount_amount_text,
        {{ clean_text('Tax') }} as tax_amount_text,
        {{ clean_text('DeleteFlag') }} as delete_flag_text
    from source
),

{{ line_copy_numbers('renamed') }}

typed as (
    select
        numbered.*,
        {{ parse_timestamp_utc('numbered.transaction_at_text') }} as transaction_at,
        {{ safe_to_decimal('numbered.total_amount_text') }} as total_amount,
        {{ safe_to_decimal('numbered.discount_amount_text') }} as discount_amount,
        {{ safe_to_decimal('numbered.tax_amount_text') }} as tax_amount,
        {{ parse_boolean('numbered.delete_flag_text') }} as is_deleted,
        currencies.currency_code is not null as is_known_currency
    from numbered
    left join currencies on numbered.currency_code = currencies.currency_code
),

final as (
    select
        *,
        case when transaction_at_text is null then 'TransactionTimeStamp' end as missing_attribute,
        {{ reject_reason_and_column([
            ["transaction_id is null", 'missing_required', 'SourceTransactionNumber'],
            ["customer_id is null", 'missing_required', 'SourceCustomerNumber'],
            ["organization_id is null", 'missing_required', 'SourceOrganizationNumber'],
            ["transaction_at_text is not null and transaction_at is null", 'invalid_timestamp', 'TransactionTimeStamp'],
            ["total_amount_text is not null and total_amount is null", 'invalid_number', 'Total'],
            ["discount_amount_text is not null and discount_amount is null", 'invalid_number', 'Discount'],
            ["tax_amount_text is not null and tax_amount is null", 'invalid_number', 'Tax'],
            ["delete_flag_text is not null and is_deleted is null", 'invalid_boolean', 'DeleteFlag'],
            ["currency_code is not null and not is_known_currency", 'unknown_currency', 'Currency'],
            ["transaction_type is not null and transaction_type not in ('purchase', 'return')", 'invalid_value', 'Type']
        ]) }}
    from typed
)

select * from final
