-- Transactions: one row per transaction kept in the marts, netted over its counted lines.
-- The rules are in int_transactions__netted (models/intermediate/transactions); this mart publishes it.
select * from {{ ref('int_transactions__netted') }}
