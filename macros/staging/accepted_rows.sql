{#- Which base model holds each landing entity (by name: callers ref it), its key, and the
    parent it must reference.
    A child row is accepted only when its parent key is among the parent's accepted rows
    (recursively: a message of a dispatch whose campaign is unknown is itself an orphan). -#}
{% macro staging_entities() %}
    {{ return({
        'campaign': {'model': 'base_cdp__campaigns', 'key': 'campaign_id', 'partial_updates': true},
        'dispatch': {'model': 'base_cdp__dispatches', 'key': 'dispatch_id', 'partial_updates': true,
                     'parent': 'campaign', 'foreign_key': 'campaign_id'},
        'message': {'model': 'base_cdp__messages', 'key': 'message_id', 'partial_updates': true,
                    'parent': 'dispatch', 'foreign_key': 'dispatch_id'},
        'event': {'model': 'base_cdp__events', 'key': 'event_id'},
        'customer': {'model': 'base_cdp__customers', 'key': 'customer_id'},
        'transaction': {'model': 'base_cdp__transactions', 'key': 'transaction_id', 'partial_updates': true},
        'transactionitem': {'model': 'base_cdp__transaction_items', 'key': 'transaction_item_id',
                            'parent': 'transaction', 'foreign_key': 'transaction_id'},
        'organization': {'model': 'base_cdp__organizations', 'key': 'organization_id', 'partial_updates': true},
    }) }}
{% endmacro %}

{#- Rows of an entity's base model, in the run's scope (files delivered on or before as_of),
    that pass every check: no row-level reject reason, a known parent, and - for a row that
    lacks a required attribute (`missing_attribute`, a partial update) - a key that has a
    complete row in scope. `orphans=true` returns the row-valid rows with an unknown parent;
    `partial=true` the partial updates of keys never delivered complete.
    `relations`: entity -> relation of its base model, for the entity and every ancestor
    (a message needs message, dispatch and campaign). The caller refs them, so the model
    shows its inputs. -#}
{% macro accepted_rows(entity, relations, orphans=false, partial=false) %}
    {%- set e = closedloop.staging_entities()[entity] -%}
    select *
    from {{ relations[entity] }}
    where reject_reason is null
        and {{ closedloop.landing_in_scope() }}
    {%- if e.get('partial_updates') %}
        and (missing_attribute is null or {{ e['key'] }} {{ 'not in' if partial else 'in' }} (
            select complete_rows.{{ e['key'] }}
            from {{ relations[entity] }} as complete_rows
            where complete_rows.reject_reason is null and complete_rows.missing_attribute is null
                and {{ closedloop.landing_in_scope('complete_rows.file_loaded_at') }}
        ))
        {%- if partial %} and missing_attribute is not null{% endif %}
    {%- elif partial %}
        and 1 = 0
    {%- endif %}
    {%- if e.get('parent') and not partial %}
        and {{ e['foreign_key'] }} {{ 'not in' if orphans else 'in' }} (
            select {{ closedloop.staging_entities()[e['parent']]['key'] }}
            from ({{ closedloop.accepted_rows(e['parent'], relations) }}) as parent_rows
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
        _file_sha256 as file_sha256,
        _row_number as source_row_number,
        _line_number as source_line_number,
        _line_count as source_line_count,
        _load_order as load_order,
        _raw as raw_row,
        _custom_attributes as custom_attributes,
        _extra_fields as extra_fields,
        _structural_reason as structural_reason,
        _reject_column as structural_reject_column,
        {#- The run date of the run that wrote the row: a daily run's tests check the rows it
            wrote (macros/generic_tests/test_scope.sql). -#}
        {{ closedloop.as_of_date() }} as loaded_as_of
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

{#- The reject reason and the column it names, one pair of CASEs from one list so the two
    never disagree. `checks`: [condition, reason, column] in precedence order
    (docs/architecture.md); structure (from the landing reader) and exact duplicates come first. -#}
{% macro reject_reason_and_column(checks) -%}
    {%- set all = [['structural_reason is not null', none, none],
                   ['copy_number > 1', 'duplicate_row', none]] + checks -%}
    case
        {%- for c in all %}
            when {{ c[0] }} then {{ 'structural_reason' if c[1] is none else closedloop.sql_string(c[1]) }}
        {%- endfor %}
        end as reject_reason,
        case
        {%- for c in all %}
            when {{ c[0] }} then {{ 'structural_reject_column' if loop.first else closedloop.sql_string(c[2]) }}
        {%- endfor %}
        end as reject_column
{%- endmacro %}
