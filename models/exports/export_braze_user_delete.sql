-- Braze user deletion (REST /users/delete, JSON lines): one row per deleted customer
-- (DeleteFlag), keyed by external_id. The ledger sends a row once, and only for a customer it
-- shows sent to Braze (export_braze) on an earlier as_of: a customer Braze never received
-- gets no request.
with deletions as (
    select * from {{ ref('export_prep__customer_deletions') }}
),

final as (
    select
        customer_id as external_id,
        customer_id as export_key
    from deletions
)

select * from final
