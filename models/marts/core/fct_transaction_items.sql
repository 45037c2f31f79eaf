-- Transaction lines: one row per live item of a transaction kept in fct_transactions.
-- The rules are in int_transaction_items__signed (models/intermediate/transactions); this mart publishes it.
select * from {{ ref('int_transaction_items__signed') }}
