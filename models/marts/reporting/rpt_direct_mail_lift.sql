-- Direct-mail lift: one row per direct-mail dispatch. Mailed group: customers with a send on a
-- non-holdout message of the dispatch (minus its holdout customers); holdout group: customers
-- assigned to a holdout message of it. A responder made at least one purchase whose UTC date
-- lies in the effective attribution window of their message ([start, start + window days)),
-- before as_of. The response rates are compared by a two-proportion z-test with a 95 %
-- interval of the difference (macros/reporting/comparisons.sql).
with dispatches as (
    select * from {{ ref('dim_dispatches') }}
),

messages as (
    select * from {{ ref('dim_messages') }}
),

events as (
    select * from {{ ref('fct_events') }}
),

holdouts as (
    select * from {{ ref('int_touches__holdout_assignments') }}
),

conversions as (
    -- only purchases before as_of (macros/reporting/report_period.sql)
    select * from {{ ref('int_attribution__conversions') }}
    where transaction_utc_date < {{ report_end_date() }}
),

mail_sends as (
    select
        messages.dispatch_id,
        events.customer_id,
        events.message_id,
        row_number() over (
            partition by messages.dispatch_id, events.customer_id
            order by events.event_at, events.message_id, events.event_id
        ) as send_rank
    from events
    inner join messages
        on events.message_id = messages.message_id
    where
        events.channel = 'direct_mail'
        and events.activity = 'sent'
        and events.customer_id is not null
        and events.event_local_date < {{ report_end_date() }}
        and not messages.is_holdout
),

test_groups as (
    select
        mail_sends.dispatch_id,
        mail_sends.customer_id,
        mail_sends.message_id,
        'mailed' as test_group
    from mail_sends
    left join holdouts
        on
            mail_sends.dispatch_id = holdouts.dispatch_id
            and mail_sends.customer_id = holdouts.customer_id
    where
        mail_sends.send_rank = 1
        and holdouts.customer_id is null
    union all
    select
        dispatch_id,
        customer_id,
        holdout_message_id as message_id,
        'holdout' as test_group
    from holdouts
),

responses as (
    select
        test_groups.dispatch_id,
        test_groups.customer_id,
        test_groups.test_group,
        count(conversions.transaction_id) as purchases,
        sum(conversions.conversion_revenue) as revenue
    from test_groups
    inner join messages
        on test_groups.message_id = messages.message_id
    left join conversions
        on
            test_groups.customer_id = conversions.customer_id
            and {{ in_matchback_window(
                'conversions.transaction_utc_date',
                'messages.effective_attribution_start_date',
                'messages.effective_attribution_window_days') }}
    group by test_groups.dispatch_id, test_groups.customer_id, test_groups.test_group
),

group_totals as (
    select
        dispatch_id,
        sum(case when test_group = 'mailed' then 1 else 0 end) as mailed_recipients,
        sum(case when test_group = 'holdout' then 1 else 0 end) as holdout_recipients,
        sum(case when test_group = 'mailed' and purchases > 0 then 1 else 0 end) as mailed_responders,
        sum(case when test_group = 'holdout' and purchases > 0 then 1 else 0 end) as holdout_responders,
        sum(case when test_group = 'mailed' then revenue end) as mailed_revenue,
        sum(case when test_group = 'holdout' then revenue end) as holdout_revenue
    from responses
    group by dispatch_id
),

rated as (
    select
        dispatches.dispatch_id,
        dispatches.dispatch_name,
        dispatches.campaign_id,
        cast(coalesce(group_totals.mailed_recipients, 0) as {{ dbt.type_bigint() }}) as mailed_recipients,
        cast(coalesce(group_totals.holdout_recipients, 0) as {{ dbt.type_bigint() }}) as holdout_recipients,
        cast(coalesce(group_totals.mailed_responders, 0) as {{ dbt.type_bigint() }}) as mailed_responders,
        cast(coalesce(group_totals.holdout_responders, 0) as {{ dbt.type_bigint() }}) as holdout_responders,
        cast(coalesce(group_totals.mailed_revenue, 0) as decimal(18, 4)) as mailed_revenue,
        cast(coalesce(group_totals.holdout_revenue, 0) as decimal(18, 4)) as holdout_revenue,
        {{ ratio_or_null('group_totals.mailed_responders', 'group_totals.mailed_recipients') }}
            as mailed_response_rate,
        {{ ratio_or_null('group_totals.holdout_responders', 'group_totals.holdout_recipients') }}
            as holdout_response_rate
    from dispatches
    left join group_totals
        on dispatches.dispatch_id = group_totals.dispatch_id
    where dispatches.channel = 'direct_mail'
),

tested as (
    select
        *,
        {{ proportion_test_inputs('response', 'mailed_responders', 'mailed_recipients',
                                  'holdout_responders', 'holdout_recipients') }}
    from rated
),

final as (
    select
        dispatch_id,
        dispatch_name,
        campaign_id,
        mailed_recipients,
        holdout_recipients,
        mailed_responders,
        holdout_responders,
        mailed_revenue,
        holdout_revenue,
        mailed_response_rate,
        holdout_response_rate,
        cast(mailed_response_rate - holdout_response_rate as decimal(18, 6)) as response_rate_difference,
        {{ ratio_or_null('mailed_response_rate - holdout_response_rate', 'holdout_response_rate') }}
            as relative_lift,
        cast((mailed_response_rate - holdout_response_rate) * mailed_recipients as decimal(18, 2))
            as incremental_responders,
        {{ proportion_test_columns('response') }}
    from tested
)

select * from final
