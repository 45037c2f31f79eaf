{#- Which base model holds each landing entity, its key, and the parent it must reference.
    A child row is accepted only when its parent key is among the parent's accepted rows
    (recursively: a message of a dispatch whose campaign is unknown is itself an orphan). -#}
{% macro staging_entities() %}
    {{ return({
        'campaign': {'model': 'base_cdp__campaigns', 'key': 'campaign_id'},
        'dispatch': {'model': 'base_cdp__dispatches', 'key': 'dispatch_id',
                     'parent': 'campaign', 'foreign_key': 'campaign_id'},
        'message': {'model': 'base_cdp__messages', 'key': 'message_id',
                    'parent': 'dispatch', 'foreign_key': 'dispatch_id'},
        'event': {'model': 'base_cdp__events', 'key': 'event_id'},
        'customer': {'model': 'base_cdp__customers', 'key': 'customer_id'},
        'transaction': {'model': 'base_cdp__transactions', 'key': 'transaction_id'},
        'transactionitem': {'model': 'base_cdp__transaction_items', 'key': 'transaction_item_id',
                            'parent': 'transaction', 'foreign_key': 'transaction_id'},
        'organization': {'model': 'base_cdp__organizations', 'key': 'organization_id'},
    }) }}
{% endmacro %}

{#- Rows of an entity's base model that pass every check: no row-level reject reason and a
    known parent. `orphans=true` returns the complement among row-valid rows instead. -#}
{% macro accepted_rows(entity, orphans=false) %}
    {%- set e = closedloop.staging_entities()[entity] -%}
    select *
    from {{ ref(e['model']) }}
    where reject_reason is null
    {%- if e.get('parent') %}
        and {{ e['foreign_key'] }} {{ 'not in' if orphans else 'in' }} (
            select {{ closedloop.staging_entities()[e['parent']]['key'] }}
            from ({{ closedloop.accepted_rows(e['parent']) }}) as parent_rows
        )
    {%- elif orphans %}
        and 1 = 0
    {%- endif %}
{% endmacro %}

{#- Lineage columns every base model carries, renamed from the landing relation. -#}
{% macro landing_lineage_columns() -%}
    _source_file as source_file,
        _source_system as source_system,
        _file_loaded_at as file_loaded_at,
        _row_number as source_row_number,
        _load_order as load_order,
        _raw as raw_row,
        _custom_attributes as custom_attributes,
        _extra_fields as extra_fields
{%- endmacro %}

{#- Two CTEs, `repeated_lines` and `numbered`: the rows of `relation` with copy_number, 1 for
    the first copy of a line within its file, 2.. for exact repeats (duplicate_row). Only the
    lines whose hash occurs more than once in their file go through the window (on the raw
    text, so the result is exact): a window over every row would sort the whole entity, the
    most expensive step of base_cdp__events at 10 M rows. -#}
{% macro line_copy_numbers(relation) -%}
repeated_lines as (
    select
        source_file as repeated_file,
        {{ dbt.hash('raw_row') }} as repeated_hash
    from {{ relation }}
    group by source_file, {{ dbt.hash('raw_row') }}
    having count(*) > 1
),

numbered as (
    select
        {{ relation }}.*,
        cast(1 as {{ dbt.type_bigint() }}) as copy_number
    from {{ relation }}
    left join repeated_lines
        on
            {{ relation }}.source_file = repeated_lines.repeated_file
            and {{ dbt.hash(relation ~ '.raw_row') }} = repeated_lines.repeated_hash
    where repeated_lines.repeated_file is null
    union all
    select
        {{ relation }}.*,
        cast(row_number() over (
            partition by {{ relation }}.source_file, {{ relation }}.raw_row
            order by {{ relation }}.source_row_number
        ) as {{ dbt.type_bigint() }}) as copy_number
    from {{ relation }}
    inner join repeated_lines
        on
            {{ relation }}.source_file = repeated_lines.repeated_file
            and {{ dbt.hash(relation ~ '.raw_row') }} = repeated_lines.repeated_hash
),
{%- endmacro %}

{#- The first reject checks of every base model: structure, then exact duplicates. -#}
{% macro structural_reject_checks() -%}
    when extra_fields > 0 then 'malformed_row'
            when copy_number > 1 then 'duplicate_row'
{%- endmacro %}
