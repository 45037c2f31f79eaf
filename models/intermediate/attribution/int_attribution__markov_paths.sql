-- Markov paths: one row per path (a conversion, or a customer's null path) with its states
-- joined in touch order (' > '), repeats kept.
with path_touches as (
    select * from {{ ref('int_attribution__markov_path_touches') }}
),

final as (
    select
        path_id,
        path_kind,
        customer_id,
        transaction_id,
        path_value,
        {{ dbt.listagg('markov_state', "' > '", 'order by touch_sequence') }} as markov_path,
        cast(count(*) as {{ dbt.type_int() }}) as touch_count
    from path_touches
    group by path_id, path_kind, customer_id, transaction_id, path_value
)

select * from final
