-- The Trade Desk rows all come from United States stores: the order's organization (in the
-- marts) is a US store and the row's Country is USA. Returns the offending rows.
with ttd as (
    select * from {{ ref('export_the_trade_desk') }}
),

transactions as (
    select * from {{ ref('fct_transactions') }}
),

organizations as (
    select * from {{ ref('dim_organizations') }}
)

select
    ttd.export_key,
    ttd.country,
    organizations.country_code,
    organizations.organization_type
from ttd
left join transactions
    on ttd.export_key = transactions.transaction_id
left join organizations
    on transactions.organization_id = organizations.organization_id
where
    ttd.country <> 'USA'
    or coalesce(organizations.country_code, '') <> 'US'
    or coalesce(organizations.organization_type, '') <> 'store'
