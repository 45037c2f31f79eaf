-- Live dispatches (level 2): one row per live dispatch_id whose campaign is live (a deleted
-- campaign takes its dispatches with it). `channel` normalizes the free-text Type.
with dispatches as (
    select * from {{ ref('stg_cdp__dispatches') }}
),

campaigns as (
    select * from {{ ref('int_campaigns__live') }}
),

live_dispatches as (
    select dispatches.*
    from dispatches
    inner join campaigns
        on dispatches.campaign_id = campaigns.campaign_id
    where not dispatches.is_deleted
),

final as (
    select
        dispatch_id,
        campaign_id,
        dispatch_name,
        case lower(replace(replace(replace(dispatch_type, '_', ''), '-', ''), ' ', ''))
            when 'email' then 'email'
            when 'sms' then 'sms'
            when 'text' then 'sms'
            when 'directmail' then 'direct_mail'
            when 'mail' then 'direct_mail'
            when 'paidsocial' then 'paid_social'
            else 'other'
        end as channel,
        dispatch_type,
        dispatch_subtype,
        attribution_start_date,
        attribution_window_days,
        created_at,
        custom_attributes
    from live_dispatches
)

select * from final
