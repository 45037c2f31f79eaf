-- Export accounting per run: one row per as_of, platform and reason. Reasons are the
-- exclusions (conversions of the window left out, customers for Klaviyo: why), plus
-- `exported` (rows of the full window set / snapshot) and `sent` (rows of the delta file).
-- Kept as a history: a re-run of an as_of replaces its rows.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ export_replace_as_of_hook('as_of') }}"
    )
}}
with candidates as (
    select * from {{ ref('int_export__candidates') }}
),

profiles as (
    select * from {{ ref('int_export__customer_profiles') }}
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
    {{ export_file_row_counts() }}
),

final as (
    select
        platform,
        {{ export_as_of_date() }} as as_of,
        reason,
        cast(row_count as {{ dbt.type_bigint() }}) as row_count
    from row_counts
)

select * from final
