-- Markov transitions: the first-order transition counts and probabilities between states
-- over all paths. Each path is (start) > its states > (conversion) or (null). A repeat of the
-- same state in a row is one visit (no self-loop): a self-loop does not change any absorption
-- probability, and leaving it out lets the iterative solve converge faster.
with path_touches as (
    select * from {{ ref('int_attribution__markov_path_touches') }}
),

sequenced as (
    select
        path_id,
        path_kind,
        touch_sequence,
        touch_count,
        markov_state,
        lag(markov_state) over (partition by path_id order by touch_sequence) as previous_state
    from path_touches
),

visits as (
    -- the first touch and every touch whose state differs from the one before
    select
        path_id,
        path_kind,
        markov_state,
        cast(row_number() over (partition by path_id order by touch_sequence) as {{ dbt.type_int() }})
            as visit_sequence
    from sequenced
    where previous_state is null or previous_state <> markov_state
),

numbered as (
    select
        *,
        count(*) over (partition by path_id) as visit_count,
        lead(markov_state) over (partition by path_id order by visit_sequence) as next_state
    from visits
),

steps as (
    select
        '(start)' as from_state,
        markov_state as to_state
    from numbered
    where visit_sequence = 1
    union all
    select
        markov_state as from_state,
        case
            when next_state is not null then next_state
            when path_kind = 'conversion' then '(conversion)'
            else '(null)'
        end as to_state
    from numbered
),

counted as (
    select
        from_state,
        to_state,
        cast(count(*) as {{ dbt.type_bigint() }}) as transition_count
    from steps
    group by from_state, to_state
),

final as (
    select
        from_state,
        to_state,
        transition_count,
        cast(sum(transition_count) over (partition by from_state) as {{ dbt.type_bigint() }}) as from_state_count,
        cast(
            transition_count * 1.0 / sum(transition_count) over (partition by from_state) as decimal(20, 10)
        ) as transition_probability
    from counted
)

select * from final
