-- Subscription signals: one row per customer, channel (email, sms) and signal, in the order
-- that decides the state. A signal is
--   * a Preferences change: an accepted customer row whose DNE (email) / DNC (sms) flag
--     differs from the customer's previous row with Preferences in delivery order (the
--     first such row is compared with N, the state before any signal). Its time is the time of
--     the file that delivered it (file_loaded_at); a row without Preferences carries no signal
--     (the merge keeps the earlier value, stg_cdp__customers);
--   * an event: emailSubscribe / smsSubscribe (opted_in), emailUnsubscribe / smsUnsubscribe
--     (unsubscribed) and hard emailBounce (unsubscribed), at event_at, by seed ref_event_types.
-- The latest signal wins: order by signal time, at the same time an opt-in before an opt-out
-- (the opt-out wins a tie), then Preferences before events, then the row's delivery order /
-- event id. Signals after the run day (as_of) are left out, like files delivered later.
{%- set preferences = "lower(concat('&', replace(replace(preferences, ' ', ''), ';', '&'), '&'))" %}
with customer_rows as (
    {{ accepted_rows('customer', {'customer': ref('base_cdp__customers')}) }}
),

events as (
    select * from {{ ref('int_events__classified') }}
),

preference_rows as (
    select
        customer_id,
        source_file,
        source_row_number,
        load_order,
        file_loaded_at,
        coalesce({{ preferences }} like '%&dne=y&%', false) as is_dne,
        coalesce({{ preferences }} like '%&dnc=y&%', false) as is_dnc
    from customer_rows
    where preferences is not null
),

preference_flags as (
    select
        *,
        lag(is_dne) over (
            partition by customer_id order by load_order, source_file, source_row_number
        ) as previous_is_dne,
        lag(is_dnc) over (
            partition by customer_id order by load_order, source_file, source_row_number
        ) as previous_is_dnc
    from preference_rows
),

preference_signals as (
    select
        customer_id,
        'email' as channel,
        'preferences' as signal_source,
        case when is_dne then 'DNE=Y' else 'DNE=N' end as signal_type,
        case when is_dne then 'unsubscribed' else 'subscribed' end as signal_state,
        file_loaded_at as signal_at,
        load_order as delivery_order,
        concat(source_file, ':', cast(source_row_number as {{ dbt.type_string() }})) as signal_key
    from preference_flags
    where is_dne <> coalesce(previous_is_dne, false)
    union all
    select
        customer_id,
        'sms' as channel,
        'preferences' as signal_source,
        case when is_dnc then 'DNC=Y' else 'DNC=N' end as signal_type,
        case when is_dnc then 'unsubscribed' else 'subscribed' end as signal_state,
        file_loaded_at as signal_at,
        load_order as delivery_order,
        concat(source_file, ':', cast(source_row_number as {{ dbt.type_string() }})) as signal_key
    from preference_flags
    where is_dnc <> coalesce(previous_is_dnc, false)
),

event_signals as (
    select
        customer_id,
        channel,
        'event' as signal_source,
        case when activity = 'bounced' then concat(event_type, ':hard') else event_type end as signal_type,
        case when activity = 'subscribed' then 'opted_in' else 'unsubscribed' end as signal_state,
        event_at as signal_at,
        cast(0 as {{ dbt.type_bigint() }}) as delivery_order,
        event_id as signal_key
    from events
    where
        customer_id is not null
        and event_at is not null
        and channel in ('email', 'sms')
        and (
            (category = 'subscription' and activity in ('subscribed', 'unsubscribed'))
            or (channel = 'email' and activity = 'bounced' and lower(event_subtype) = 'hard')
        )
        and {{ landing_in_scope('event_at') }}
),

signals as (
    select * from preference_signals
    union all
    select * from event_signals
),

ordered as (
    select
        *,
        row_number() over (
            partition by customer_id, channel
            order by
                signal_at,
                case when signal_state = 'unsubscribed' then 1 else 0 end,
                case when signal_source = 'preferences' then 0 else 1 end,
                delivery_order,
                signal_key
        ) as signal_sequence
    from signals
),

final as (
    select
        customer_id,
        channel,
        signal_sequence,
        signal_source,
        signal_type,
        signal_state,
        signal_at,
        signal_key,
        coalesce(
            lag(signal_state) over (partition by customer_id, channel order by signal_sequence), 'subscribed'
        ) as previous_state,
        row_number() over (partition by customer_id, channel order by signal_sequence desc) = 1 as is_latest
    from ordered
)

select * from final
