-- Dispatches (level 2): one row per live dispatch_id whose campaign is live.
-- The rules are in int_dispatches__live (models/intermediate/campaigns); this mart publishes it.
select * from {{ ref('int_dispatches__live') }}
