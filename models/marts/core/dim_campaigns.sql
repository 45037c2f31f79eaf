-- Campaigns (level 1 of the hierarchy): one row per live campaign_id.
-- The rules are in int_campaigns__live (models/intermediate/campaigns); this mart publishes it.
select * from {{ ref('int_campaigns__live') }}
