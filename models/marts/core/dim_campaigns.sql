-- Campaigns (level 1 of the hierarchy): one row per live campaign_id.
with campaigns as (
    select * from {{ ref('stg_cdp__campaigns') }}
),

final as (
    select
        campaign_id,
        campaign_name,
        campaign_description,
        campaign_type,
        start_date,
        end_date,
        created_at,
        custom_attributes
    from campaigns
    where not is_deleted
)

select * from final
