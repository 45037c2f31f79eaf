-- Conversion touches: one row per conversion x eligible touch that qualifies for it, in
-- sequence. A touch qualifies when it is strictly before the purchase and
--   * matchback: the purchase's UTC date is in [start, start + window days) of the message;
--   * lookback: the touch is at or after purchase time minus the lookback days.
-- Sequence: touch time, then activity rank (send < delivery < open < click), message_id,
-- touch_id — the same total order for every attribution model.
with conversions as (
    select * from {{ ref('int_attribution__conversions') }}
),

touches as (
    select * from {{ ref('int_touches__eligible') }}
),

matched as (
    select
        conversions.transaction_id,
        conversions.customer_id,
        conversions.transaction_at,
        conversions.transaction_utc_date,
        conversions.transaction_local_date,
        conversions.conversion_revenue,
        touches.touch_id,
        touches.touch_at,
        touches.touch_local_date,
        touches.touch_channel,
        touches.touch_activity,
        touches.touch_type,
        touches.touch_rule,
        touches.message_id,
        touches.dispatch_id,
        touches.campaign_id
    from conversions
    inner join touches
        on
            conversions.customer_id = touches.customer_id
            and conversions.transaction_at > touches.touch_at
    where
        (
            touches.touch_rule = 'matchback'
            and {{ in_matchback_window(
                'conversions.transaction_utc_date',
                'touches.matchback_start_date',
                'touches.matchback_window_days') }}
        )
        or (
            touches.touch_rule = 'lookback'
            and touches.touch_at >= {{ dbt.dateadd('day', '-1 * touches.lookback_days', 'conversions.transaction_at') }}
        )
),

final as (
    select
        *,
        cast(row_number() over (
            partition by transaction_id
            order by touch_at, {{ touch_activity_rank('touch_activity') }}, message_id, touch_id
        ) as {{ dbt.type_int() }}) as touch_sequence,
        cast(count(*) over (partition by transaction_id) as {{ dbt.type_int() }}) as touch_count
    from matched
)

select * from final
