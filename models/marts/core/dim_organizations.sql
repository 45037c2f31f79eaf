-- Organizations (stores and web shops): one row per live organization_id.
-- The rules are in int_organizations__live (models/intermediate/transactions); this mart publishes it.
select * from {{ ref('int_organizations__live') }}
