-- Web sessions: one row per session, with its landing URL's campaign parameters, channel group,
-- campaign, stitched customer and conversion.
-- The rules are in int_web__sessions (models/intermediate/web); this mart publishes it.
select * from {{ ref('int_web__sessions') }}
