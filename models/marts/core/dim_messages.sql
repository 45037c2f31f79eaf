-- Messages (level 3): one row per live message_id whose dispatch (and campaign) is live.
-- The rules are in int_messages__live (models/intermediate/campaigns); this mart publishes it.
select * from {{ ref('int_messages__live') }}
