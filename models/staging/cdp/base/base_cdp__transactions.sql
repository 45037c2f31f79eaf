-- One row per raw transaction row: renamed, typed, with the reason it is rejected (or NULL).
with source as (
    select * from {{ source('landing', 'transaction') }}{{ landing_increment_filter('transaction') }}
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
        case
            {{ structural_reject_checks() }}
            when
                transaction_id is null or customer_id is null or organization_id is null
                or transaction_at_text is null
                then 'missing_required'
            when transaction_at is null then 'invalid_timestamp'
            when
                (total_amount_text is not null and total_amount is null)
                or (discount_amount_text is not null and discount_amount is null)
                or (tax_amount_text is not null and tax_amount is null)
                then 'invalid_number'
            when delete_flag_text is not null and is_deleted is null then 'invalid_boolean'
            when currency_code is not null and not is_known_currency then 'unknown_currency'
            when transaction_type is not null and transaction_type not in ('purchase', 'return') then 'invalid_value'
        end as reject_reason
    from typed
)

select * from final
