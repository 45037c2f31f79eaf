-- Campaign sessions as touch candidates: one row per web session (int_web__sessions) that
-- resolves to a live campaign and has a (stitched) customer - a visit that landed through a
-- campaign URL credits the campaign even without a SourceMessageNumber
-- (docs/attribution.md#campaign-sessions). int_touches__eligible drops the ones that are the
-- landing of a click touch it already counts, and applies the holdout rule.
--   * lookback rule, touch type 'campaign_session', lookback days from var
--     attribution_lookback_days (key campaign_session; without the key no session is a touch);
--   * channel: the resolved message's channel, else 'web'.
{%- set lookback = var('attribution_lookback_days').get('campaign_session') %}
with sessions as (
    select * from {{ ref('int_web__sessions') }}
),

final as (
    select
        session_key as touch_id,
        customer_id,
        session_start_at as touch_at,
        session_end_at as touch_end_at,
        session_local_date as touch_local_date,
        coalesce(message_channel, 'web') as touch_channel,
        'visited' as touch_activity,
        'campaign_session' as touch_type,
        'lookback' as touch_rule,
        {{ lookback | int if lookback is not none else 'cast(null as ' ~ dbt.type_int() ~ ')' }} as lookback_days,
        message_id,
        dispatch_id,
        campaign_id
    from sessions
    -- without a campaign_session lookback no session is a touch
    where
        campaign_id is not null
        and customer_id is not null
        and {{ 'true' if lookback is not none else 'false' }}
)

select * from final
