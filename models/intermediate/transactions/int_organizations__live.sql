-- Live organizations (stores and web shops): one row per live organization_id.
with organizations as (
    select * from {{ ref('stg_cdp__organizations') }}
),

final as (
    select
        organization_id,
        organization_name,
        organization_type,
        coalesce(organization_type = 'store', false) as is_store,
        country_code,
        state,
        city,
        time_zone
    from organizations
    where not is_deleted
)

select * from final
