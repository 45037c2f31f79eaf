-- Export accounting per run: one row per as_of, platform and reason. Reasons are the
-- exclusions (conversions of the window left out, customers for Klaviyo: why), plus
-- `exported` (rows of the full window set / snapshot) and `sent` (rows of the delta file).
-- `sent` counts the rows the ledger records for this as_of (= the file); for the deletion
-- requests `exported` is every deleted customer and `sent` the requests of this as_of (only
-- customers the platform received, once). Every row carries
-- the platform's file_status, is_ready and not_ready_reason (export_file_status).
-- Kept as a history: a re-run of an as_of replaces its rows. New columns are appended to an
-- existing history (older rows: NULL).
{{
    config(
        materialized='incremental',
        incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'append'),
        partition_by=(['as_of', 'platform'] if target.type == 'spark' else none),
        on_schema_change='append_new_columns',
        pre_hook="{{ export_replace_as_of_hook('as_of') }}"
    )
}}
{%- set exports = {
    'meta': ref('export_meta'),
    'the_trade_desk': ref('export_the_trade_desk'),
    'tiktok': ref('export_tiktok'),
    'pinterest': ref('export_pinterest'),
    'snapchat': ref('export_snapchat'),
    'criteo': ref('export_criteo'),
    'google_enhanced_conversions': ref('export_google_enhanced_conversions'),
    'braze': ref('export_braze'),
    'klaviyo': ref('export_klaviyo'),
    'klaviyo_subscriptions': ref('export_klaviyo_subscriptions'),
    'braze_user_delete': ref('export_braze_user_delete'),
    'klaviyo_data_privacy_deletion': ref('export_klaviyo_data_privacy_deletion'),
} %}
with candidates as (
    select * from {{ ref('export_prep__candidates') }}
),

file_status as (
    select * from {{ ref('export_file_status') }}
),

ledger as (
    select * from {{ ref('export_ledger') }}
    where first_sent_as_of = {{ export_as_of_date() }}
),

sent as (
    select
        file_status.platform,
        coalesce(sum(ledger.file_rows), 0) as row_count
    from file_status
    left join ledger
        on file_status.platform = ledger.platform
    group by file_status.platform
),

profiles as (
    select * from {{ ref('export_prep__customer_profiles') }}
),

klaviyo_left_out as (
    select
        case
            when email_normalized is null then 'no_usable_identifier'
            when not is_email_allowed then 'do_not_email'
            else 'duplicate_email'
        end as reason
    from profiles
    where not (email_normalized is not null and is_email_allowed and is_email_owner)
),

row_counts as (
    select
        platform,
        exclusion_reason as reason,
        count(*) as row_count
    from candidates
    where exclusion_reason is not null
    group by platform, exclusion_reason
    union all
    select
        'klaviyo' as platform,
        reason,
        count(*) as row_count
    from klaviyo_left_out
    group by reason
    union all
    select
        platform,
        'sent' as reason,
        row_count
    from sent
    -- rows of the full window set (`exported`) per platform
    {%- for platform, relation in exports.items() %}
        union all
        select
            '{{ platform }}' as platform,
            'exported' as reason,
            count(*) as row_count
        from {{ relation }}
    {%- endfor %}
),

final as (
    select
        row_counts.platform,
        {{ export_as_of_date() }} as as_of,
        row_counts.reason,
        cast(row_counts.row_count as {{ dbt.type_bigint() }}) as row_count,
        file_status.file_status,
        file_status.is_ready,
        file_status.not_ready_reason
    from row_counts
    left join file_status
        on row_counts.platform = file_status.platform
)

select * from final
