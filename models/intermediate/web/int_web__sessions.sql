-- Web sessions: one row per session of int_web__session_events (docs/marts.md#web-sessions).
--   * landing: the session's first event with a URL, its campaign parameters (utm_*) and click
--     ids (gclid, fbclid, ttclid): int_web__session_landings;
--   * customer: the customer of the session's latest event that has one (own identifiers or a
--     stitched cookie); customer_resolution 'identified' when an event of the session names the
--     customer itself, 'cookie' when only the cookie does, 'anonymous' without a customer;
--   * channel_group: seed ref_channel_groupings (smallest matching priority), 'Direct' without
--     any parameter, 'Unassigned' when no rule matches;
--   * campaign: the landing event's own live message (SourceMessageNumber), else utm_content
--     naming a live message, else utm_campaign naming a live campaign (its number, or a code of
--     seed ref_utm_campaign_codes); campaign_resolution says which.
{%- set own_identifiers = "('customer_number', 'email')" %}
with session_events as (
    select * from {{ ref('int_web__session_events') }}
),

messages as (
    select * from {{ ref('int_messages__live') }}
),

campaigns as (
    select * from {{ ref('int_campaigns__live') }}
),

campaign_codes as (
    select * from {{ ref('ref_utm_campaign_codes') }}
),

channel_groupings as (
    select * from {{ ref('ref_channel_groupings') }}
),

source_categories as (
    select * from {{ ref('ref_utm_source_categories') }}
),

transactions as (
    select * from {{ ref('int_transactions__netted') }}
),

landings as (
    select * from {{ ref('int_web__session_landings') }}
),

customer_candidates as (
    select
        session_key,
        customer_id,
        row_number() over (partition by session_key order by event_at desc, event_id desc) as customer_rank
    from session_events
    where customer_id is not null
),

session_customers as (
    select
        session_key,
        customer_id
    from customer_candidates
    where customer_rank = 1
),

-- Transactions a checkout event of the session names (counted once per session).
session_transactions as (
    select distinct
        session_events.session_key,
        transactions.transaction_id,
        transactions.net_revenue_reporting
    from session_events
    inner join transactions
        on session_events.transaction_id = transactions.transaction_id
    where session_events.activity = 'converted'
),

session_revenue as (
    select
        session_key,
        count(*) as converted_transaction_count,
        sum(net_revenue_reporting) as converted_revenue_reporting
    from session_transactions
    group by session_key
),

aggregated as (
    select
        session_key,
        max(session_source) as session_source,
        max(session_id) as session_id,
        min(cookie) as cookie,
        min(event_at) as session_start_at,
        max(event_at) as session_end_at,
        count(*) as event_count,
        sum(case when url is not null then 1 else 0 end) as page_view_count,
        max(case when customer_resolution in {{ own_identifiers }} then 1 else 0 end) = 1 as is_identified_in_session,
        max(case when activity = 'converted' then 1 else 0 end) = 1 as has_checkout
    from session_events
    group by session_key
),

parameters as (
    select
        aggregated.*,
        session_customers.customer_id,
        landings.landing_event_id,
        landings.landing_url,
        landings.landing_message_id,
        landings.utm_source,
        landings.utm_medium,
        landings.utm_campaign,
        landings.utm_content,
        landings.utm_term,
        landings.gclid,
        landings.fbclid,
        landings.ttclid,
        lower(trim(landings.utm_source)) as source_key,
        lower(trim(landings.utm_medium)) as medium_key,
        source_categories.source_category
    from aggregated
    left join session_customers
        on aggregated.session_key = session_customers.session_key
    left join landings
        on aggregated.session_key = landings.session_key
    left join source_categories
        on lower(trim(landings.utm_source)) = source_categories.utm_source
),

channel_matches as (
    select
        parameters.session_key,
        channel_groupings.channel_group,
        row_number() over (
            partition by parameters.session_key order by channel_groupings.priority
        ) as match_rank
    from parameters
    inner join channel_groupings
        on
            (
                channel_groupings.source_category is null
                or parameters.source_category = channel_groupings.source_category
            )
            and (channel_groupings.utm_source is null or parameters.source_key = channel_groupings.utm_source)
            and (channel_groupings.utm_medium is null or parameters.medium_key = channel_groupings.utm_medium)
            and (
                channel_groupings.click_id is null
                or (channel_groupings.click_id = 'gclid' and parameters.gclid is not null)
                or (channel_groupings.click_id = 'fbclid' and parameters.fbclid is not null)
                or (channel_groupings.click_id = 'ttclid' and parameters.ttclid is not null)
            )
),

resolved as (
    select
        parameters.*,
        case
            when
                parameters.utm_source is null and parameters.utm_medium is null
                and parameters.utm_campaign is null and parameters.gclid is null
                and parameters.fbclid is null and parameters.ttclid is null
                then 'Direct'
            else coalesce(channel_matches.channel_group, 'Unassigned')
        end as channel_group,
        coalesce(landing_messages.message_id, content_messages.message_id) as message_id,
        coalesce(
            landing_messages.campaign_id, content_messages.campaign_id,
            number_campaigns.campaign_id, code_campaigns.campaign_id
        ) as campaign_id,
        case
            when landing_messages.message_id is not null then 'source_message_number'
            when content_messages.message_id is not null then 'utm_content'
            when number_campaigns.campaign_id is not null then 'utm_campaign'
            when code_campaigns.campaign_id is not null then 'utm_campaign_code'
            else 'none'
        end as campaign_resolution
    from parameters
    left join channel_matches
        on
            parameters.session_key = channel_matches.session_key
            and channel_matches.match_rank = 1
    left join messages as landing_messages
        on parameters.landing_message_id = landing_messages.message_id
    left join messages as content_messages
        on trim(parameters.utm_content) = content_messages.message_id
    left join campaigns as number_campaigns
        on trim(parameters.utm_campaign) = number_campaigns.campaign_id
    left join campaign_codes
        on lower(trim(parameters.utm_campaign)) = campaign_codes.utm_campaign
    left join campaigns as code_campaigns
        on campaign_codes.campaign_id = code_campaigns.campaign_id
),

final as (
    select
        resolved.session_key,
        resolved.session_source,
        resolved.session_id,
        resolved.cookie,
        resolved.customer_id,
        case
            when resolved.customer_id is null then 'anonymous'
            when resolved.is_identified_in_session then 'identified'
            else 'cookie'
        end as customer_resolution,
        resolved.session_start_at,
        resolved.session_end_at,
        {{ utc_to_local_date('resolved.session_start_at') }} as session_local_date,
        cast(resolved.event_count as {{ dbt.type_bigint() }}) as event_count,
        cast(resolved.page_view_count as {{ dbt.type_bigint() }}) as page_view_count,
        resolved.landing_event_id,
        resolved.landing_url,
        resolved.utm_source,
        resolved.utm_medium,
        resolved.utm_campaign,
        resolved.utm_content,
        resolved.utm_term,
        resolved.gclid,
        resolved.fbclid,
        resolved.ttclid,
        resolved.channel_group,
        resolved.campaign_resolution,
        resolved.campaign_id,
        messages.dispatch_id,
        resolved.message_id,
        messages.channel as message_channel,
        resolved.has_checkout as is_converted,
        cast(
            coalesce(session_revenue.converted_transaction_count, 0) as {{ dbt.type_bigint() }}
        ) as converted_transaction_count,
        cast(coalesce(session_revenue.converted_revenue_reporting, 0) as decimal(18, 4)) as converted_revenue_reporting
    from resolved
    left join messages
        on resolved.message_id = messages.message_id
    left join session_revenue
        on resolved.session_key = session_revenue.session_key
)

select * from final
