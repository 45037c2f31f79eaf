-- Events: one row per event_id, except events of erased (deleted) customers.
-- The rules are in int_events__classified (models/intermediate/events); this mart publishes it.
select * from {{ ref('int_events__classified') }}
