-- Live campaigns (level 1 of the hierarchy): one row per campaign_id not soft-deleted.
-- A deleted campaign takes its dispatches (int_dispatches__live) and messages with it.
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
