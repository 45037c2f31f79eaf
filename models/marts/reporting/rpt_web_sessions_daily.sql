-- Web sessions by day: one row per local date (var reporting_timezone) x channel group x
-- utm_campaign (lower-cased, trimmed) x resolved campaign with any session, before as_of
-- (macros/reporting/report_period.sql). A visitor is a cookie (else a SessionID); identified
-- visitors are those whose session has a customer (own identifiers or stitched cookie).
-- Distinct counts do not add up across days or groups: a visitor of two days is one per day.
with sessions as (
    select * from {{ ref('fct_web_sessions') }}
    where session_local_date < {{ report_end_date() }}
),

keyed as (
    select
        *,
        lower(trim(utm_campaign)) as utm_campaign_key,
        coalesce(cookie, session_id) as visitor_key
    from sessions
),

aggregated as (
    select
        session_local_date as report_date,
        channel_group,
        utm_campaign_key as utm_campaign,
        campaign_id,
        count(*) as sessions,
        count(distinct visitor_key) as visitors,
        count(distinct case when customer_id is not null then visitor_key end) as identified_visitors,
        sum(case when customer_id is null then 1 else 0 end) as anonymous_sessions,
        sum(page_view_count) as page_views,
        sum(case when is_converted then 1 else 0 end) as converted_sessions,
        sum(converted_transaction_count) as conversions,
        sum(converted_revenue_reporting) as revenue_reporting
    from keyed
    group by session_local_date, channel_group, utm_campaign_key, campaign_id
),

final as (
    select
        {{ surrogate_key(['report_date', 'channel_group', 'utm_campaign', 'campaign_id']) }} as report_row_id,
        report_date,
        channel_group,
        utm_campaign,
        campaign_id,
        cast(sessions as {{ dbt.type_bigint() }}) as sessions,
        cast(visitors as {{ dbt.type_bigint() }}) as visitors,
        cast(identified_visitors as {{ dbt.type_bigint() }}) as identified_visitors,
        {{ ratio_or_null('identified_visitors', 'visitors') }} as identification_rate,
        cast(anonymous_sessions as {{ dbt.type_bigint() }}) as anonymous_sessions,
        cast(page_views as {{ dbt.type_bigint() }}) as page_views,
        cast(converted_sessions as {{ dbt.type_bigint() }}) as converted_sessions,
        cast(conversions as {{ dbt.type_bigint() }}) as conversions,
        cast(revenue_reporting as decimal(18, 4)) as revenue_reporting
    from aggregated
)

select * from final
