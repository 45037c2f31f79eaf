-- The flat campaign hierarchy: one row per live message with its dispatch and campaign.
-- Each level's custom attributes stay in their own JSON column.
with messages as (
    select * from {{ ref('dim_messages') }}
),

dispatches as (
    select * from {{ ref('dim_dispatches') }}
),

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

final as (
    select
        messages.message_id,
        messages.message_name,
        messages.subject,
        messages.variant,
        messages.is_holdout,
        messages.cost,
        messages.send_at,
        messages.effective_attribution_start_date,
        messages.effective_attribution_window_days,
        dispatches.dispatch_id,
        dispatches.dispatch_name,
        dispatches.channel,
        dispatches.dispatch_type,
        dispatches.dispatch_subtype,
        dispatches.created_at as dispatch_created_at,
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.campaign_description,
        campaigns.campaign_type,
        campaigns.start_date as campaign_start_date,
        campaigns.end_date as campaign_end_date,
        campaigns.custom_attributes as campaign_custom_attributes,
        dispatches.custom_attributes as dispatch_custom_attributes,
        messages.custom_attributes as message_custom_attributes
    from messages
    inner join dispatches
        on messages.dispatch_id = dispatches.dispatch_id
    inner join campaigns
        on dispatches.campaign_id = campaigns.campaign_id
)

select * from final
