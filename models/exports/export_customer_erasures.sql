-- Customers whose personal data the warehouse erases (var erase_deleted_customers, off by
-- default; docs/feed-contract.md#erasure): one row per deleted customer, listed by the first
-- run that sees the deletion. That run still holds the customer's data, so it sends the
-- owned channels' deletion requests (Klaviyo's is addressed by the email); the next run
-- erases the customer's base rows before it builds anything (on-run-start, macro
-- erase_customer_data), and every table built from them follows. The email is kept only as
-- its SHA-256 (normalized), to recognize the customer's later events; an email a live
-- customer also holds is not kept, as those events are the live customer's.
-- Append-only and kept through --full-refresh: once erased, the data are not in the
-- warehouse to list again.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='fail'
    )
}}
with deletions as (
    select * from {{ ref('export_prep__customer_deletions') }}
),

-- the customers earlier runs listed (none on the first build)
already_listed as (
    {%- if is_incremental() %}
        select listed.customer_id from {{ this }} as listed
    {%- else %}
        select deletions.customer_id from deletions
        where 1 = 0
    {%- endif %}
),

final as (
    select
        customer_id,
        case
            when email_normalized is not null and not is_email_of_live_customer
                then {{ sha256_hex('email_normalized') }}
        end as email_sha256,
        {{ as_of_date() }} as listed_as_of
    from deletions
    where
        {{ 'true' if erasure_enabled() else 'false' }}
        and customer_id not in (select already_listed.customer_id from already_listed)
)

select * from final
