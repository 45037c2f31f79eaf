-- Every conversion of a platform's window is either exported or counted once in
-- export_audit under a reason: per paid-media platform of conversion grain, the
-- conversions in export_prep__candidates equal `exported` + the exclusion rows of this as_of.
with candidates as (
    select
        platform,
        count(*) as candidate_rows
    from {{ ref('export_prep__candidates') }}
    group by platform
),

audit as (
    select
        platform,
        sum(case when reason <> 'sent' then row_count else 0 end) as accounted_rows
    from {{ ref('export_audit') }}
    where as_of = {{ export_as_of_date() }}
    group by platform
)

select
    audit.platform,
    audit.accounted_rows,
    coalesce(candidates.candidate_rows, 0) as candidate_rows
from audit
left join candidates
    on audit.platform = candidates.platform
where
    audit.platform in ({{ export_platform_names_sql(paid_media=true, grain='conversion') }})
    and audit.accounted_rows <> coalesce(candidates.candidate_rows, 0)
