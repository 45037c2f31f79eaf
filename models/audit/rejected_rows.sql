-- Quarantine: one row per rejected raw row with its reason and the column it names
-- (codes: docs/architecture.md).
-- One branch per landing entity (staging_entities()): row-level reasons from the base models,
-- `unknown_parent` and `missing_required` of partial updates from the same accepted_rows()
-- checks that the staging models use. Counts the rows in the run's scope (files delivered on
-- or before as_of).
{%- set base_models = {
    'campaign': ref('base_cdp__campaigns'),
    'dispatch': ref('base_cdp__dispatches'),
    'message': ref('base_cdp__messages'),
    'event': ref('base_cdp__events'),
    'customer': ref('base_cdp__customers'),
    'transaction': ref('base_cdp__transactions'),
    'transactionitem': ref('base_cdp__transaction_items'),
    'organization': ref('base_cdp__organizations'),
} %}
with unioned as (
    {%- for entity, e in closedloop.staging_entities().items() %}
        select
            '{{ entity }}' as entity,
            source_file,
            source_row_number as row_number,
            source_line_number as line_number,
            reject_reason as reason,
            reject_column,
            raw_row as raw
        from {{ base_models[entity] }}
        where reject_reason is not null and {{ closedloop.landing_in_scope() }}
        {%- if e.get('parent') %}
            union all
            select
                '{{ entity }}' as entity,
                source_file,
                source_row_number as row_number,
                source_line_number as line_number,
                'unknown_parent' as reason,
                '{{ closedloop.landing_contract()[e['parent']]['columns'][0] }}' as reject_column,
                raw_row as raw
            from ({{ closedloop.accepted_rows(entity, base_models, orphans=true) }}) as orphans
        {%- endif %}
        {%- if e.get('partial_updates') %}
            union all
            select
                '{{ entity }}' as entity,
                source_file,
                source_row_number as row_number,
                source_line_number as line_number,
                'missing_required' as reason,
                missing_attribute as reject_column,
                raw_row as raw
            from ({{ closedloop.accepted_rows(entity, base_models, partial=true) }}) as partial_rows
        {%- endif %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        {{ surrogate_key(['entity', 'source_file', 'row_number']) }} as rejected_row_id,
        entity,
        source_file,
        row_number,
        line_number,
        reason,
        reject_column,
        raw
    from unioned
)

select * from final
