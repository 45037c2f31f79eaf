{#- Makes the landing folder's files available as the `landing` source relations, one per
    entity, with the columns described in docs/architecture.md. Runs as on-run-start hook.
    DuckDB reads the files in place (views over read_csv); other engines get their raw tables
    from scripts/load_landing.py, so their hook does nothing. -#}
{% macro create_landing_relations() %}
    {{ return(adapter.dispatch('create_landing_relations', 'closedloop')()) }}
{% endmacro %}

{% macro default__create_landing_relations() %}
    select 1 as landing_loaded_by_script
{% endmacro %}

{% macro duckdb__create_landing_relations() %}
    {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
    {%- set contract = closedloop.landing_contract() -%}
    {%- set files_by_entity = closedloop.landing_files() -%}
    {%- do run_query('create schema if not exists landing') -%}
    {%- for entity, spec in contract.items() -%}
        {#- On a daily run only the files the base model will load are opened (their header read
            here): the rest of the history is already in the base table. -#}
        {%- set base = closedloop.staging_entities()[entity]['model'] -%}
        {%- set loaded = adapter.get_relation(database=target.database, schema='staging', identifier=base) -%}
        {%- set needed = none -%}
        {%- if loaded is not none and not flags.FULL_REFRESH -%}
            {%- set needed = closedloop.files_to_reload(entity, loaded, files_by_entity) -%}
        {%- endif -%}
        {%- set selects = [] -%}
        {%- for f in files_by_entity.get(entity, []) if needed is none or f['name'] in needed -%}
            {%- do selects.append(closedloop.duckdb__landing_file_select(f, spec['columns'])) -%}
        {%- endfor -%}
        {%- if selects | length == 0 -%}
            {%- do selects.append(closedloop.landing_empty_select(spec['columns'])) -%}
        {%- endif -%}
        {%- do run_query('create or replace view landing.' ~ entity ~ ' as\n'
                         ~ (selects | join('\nunion all\n'))) -%}
    {%- endfor -%}
    {{ return('select 1 as landing_views_created') }}
{% endmacro %}

{#- Lists landing files (only those delivered on or before as_of), grouped by entity, in
    delivery order. A CSV whose name does not follow the contract stops the run, named. -#}
{% macro landing_files() %}
    {%- set folder = closedloop.landing_path() | replace("'", "''") -%}
    {%- set last_ts = closedloop.as_of() | replace('-', '') ~ '235959' -%}
    {%- set rows = run_query("select file from glob('" ~ folder ~ "/*') order by file").rows -%}
    {%- set by_entity = {} -%}
    {%- for r in rows -%}
        {%- set path = r[0] -%}
        {%- set name = path.split('/')[-1] -%}
        {%- if name.lower().endswith('.csv') -%}
            {%- set parsed = closedloop.parse_landing_file_name(name) -%}
            {%- if parsed is none -%}
                {{ exceptions.raise_compiler_error("Landing file '" ~ name ~ "' does not follow the naming contract [source_]entity_yyyymmddhhmiss.csv (folder " ~ folder ~ ")") }}
            {%- endif -%}
            {%- if parsed['timestamp'] <= last_ts -%}
                {%- do parsed.update({'path': path, 'name': name}) -%}
                {%- do by_entity.setdefault(parsed['entity'], []).append(parsed) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for entity in by_entity -%}
        {%- set ordered = by_entity[entity] | sort(attribute='name') | sort(attribute='timestamp') -%}
        {#- Files of one entity stamped in the same second keep a stable order by name; they are
            adjacent in `ordered`, so one pass numbers them. -#}
        {%- set ns = namespace(previous=none, index=0) -%}
        {%- for f in ordered -%}
            {%- set ns.index = ns.index + 1 if f['timestamp'] == ns.previous else 0 -%}
            {%- set ns.previous = f['timestamp'] -%}
            {%- do f.update({'same_second_index': ns.index}) -%}
        {%- endfor -%}
        {%- do by_entity.update({entity: ordered}) -%}
    {%- endfor -%}
    {{ return(by_entity) }}
{% endmacro %}

{#- Reads a file's header line and detects its delimiter (comma, tab or pipe). -#}
{% macro duckdb__landing_file_header(f) %}
    {%- set path = f['path'] | replace("'", "''") -%}
    {%- set rows = run_query("select line from read_csv('" ~ path ~ "', columns = {'line': 'VARCHAR'}, header = false, delim = chr(31), quote = '', escape = '', auto_detect = false) limit 1").rows -%}
    {%- set line = (rows[0][0] if rows | length > 0 and rows[0][0] is not none else '') | replace('\ufeff', '') -%}
    {%- set counts = {',': line.count(','), '\t': line.count('\t'), '|': line.count('|')} -%}
    {%- set ns = namespace(delim=',') -%}
    {%- for d in ['\t', '|'] -%}
        {%- if counts[d] > counts[ns.delim] -%}{%- set ns.delim = d -%}{%- endif -%}
    {%- endfor -%}
    {%- set names = [] -%}
    {%- for part in line.split(ns.delim) -%}
        {%- do names.append(part.strip().strip('"').strip()) -%}
    {%- endfor -%}
    {{ return({'delimiter': ns.delim, 'columns': names}) }}
{% endmacro %}

{% macro duckdb__landing_file_select(f, contract_columns) %}
    {%- set header = closedloop.duckdb__landing_file_header(f) -%}
    {%- set names = header['columns'] -%}
    {%- set contract = closedloop.landing_contract()[f['entity']] -%}
    {%- if names | length == 0 or (names | select('equalto', '') | list | length) > 0
          or contract['required'][0] not in names -%}
        {{ exceptions.raise_compiler_error("Landing file '" ~ f['name'] ~ "' cannot be read: no header row with the key column " ~ contract['required'][0] ~ " (found: " ~ (names | join(', '))[:200] ~ ")") }}
    {%- endif -%}
    {%- if names | unique | list | length != names | length -%}
        {{ exceptions.raise_compiler_error("Landing file '" ~ f['name'] ~ "' cannot be read: duplicate column names in its header") }}
    {%- endif -%}
    {%- set spare = 5 -%}
    {%- set extras = [] -%}{%- for i in range(1, spare + 1) -%}{%- do extras.append('_extra_field_' ~ i) -%}{%- endfor -%}
    {#- Custom keys sorted (by code point, as the engines sort text): the object of a key
        delivered once is then already in the form the merge of several deliveries gives. -#}
    {%- set custom = names | reject('in', contract_columns) | sort(case_sensitive=true) | list -%}
    {%- set q = adapter.quote -%}
    select
        '{{ f['name'] }}' as _source_file,
        {{ "'" ~ f['source_system'] ~ "'" if f['source_system'] else 'cast(null as varchar)' }} as _source_system,
        '{{ f['timestamp'] }}' as _file_timestamp,
        strptime('{{ f['timestamp'] }}', '%Y%m%d%H%M%S') as _file_loaded_at,
        row_number() over () as _row_number,
        {#- file time (epoch seconds) * 1e9 + row: one bigint that orders rows in delivery order -#}
        cast(epoch(strptime('{{ f['timestamp'] }}', '%Y%m%d%H%M%S')) as bigint) * 1000000000
            + {{ f['same_second_index'] }} * 100000000 + row_number() over () as _load_order,
        {%- for c in contract_columns %}
        {{ q(c) if c in names else 'cast(null as varchar)' }} as {{ q(c) }},
        {%- endfor %}
        cast(case
            when {% for e in extras %}{{ q(e) }} is null{{ ' and ' if not loop.last }}{% endfor %}
                then json_object({% for c in names %}'{{ c | replace("'", "''") }}', {{ q(c) }}{{ ', ' if not loop.last }}{% endfor %})
            else json_object({% for c in names + extras %}'{{ c | replace("'", "''") }}', {{ q(c) }}{{ ', ' if not loop.last }}{% endfor %})
        end as varchar) as _raw,
        {% if custom | length > 0 -%}
        case when coalesce({% for c in custom %}{{ q(c) }}{{ ', ' if not loop.last }}{% endfor %}) is not null
            then cast(to_json(map_from_entries(list_filter(
                [{% for c in custom %}{'k': '{{ c | replace("'", "''") }}', 'v': {{ q(c) }}}{{ ', ' if not loop.last }}{% endfor %}],
                x -> x.v is not null))) as varchar)
        end
        {%- else %}cast(null as varchar){% endif %} as _custom_attributes,
        ({% for e in extras %}(case when {{ q(e) }} is null then 0 else 1 end){{ ' + ' if not loop.last }}{% endfor %}) as _extra_fields
    from read_csv(
        '{{ f['path'] | replace("'", "''") }}',
        delim = '{{ '\\t' if header['delimiter'] == '\t' else header['delimiter'] }}', quote = '"', escape = '"',
        header = true, auto_detect = false, null_padding = true, strict_mode = false, parallel = false,
        columns = { {%- for c in names + extras %}'{{ c | replace("'", "''") }}': 'VARCHAR'{{ ', ' if not loop.last }}{% endfor -%} }
    )
{% endmacro %}

{% macro landing_empty_select(contract_columns) %}
    select
        cast(null as varchar) as _source_file,
        cast(null as varchar) as _source_system,
        cast(null as varchar) as _file_timestamp,
        cast(null as timestamp) as _file_loaded_at,
        cast(null as bigint) as _row_number,
        cast(null as bigint) as _load_order,
        {%- for c in contract_columns %}
        cast(null as varchar) as {{ adapter.quote(c) }},
        {%- endfor %}
        cast(null as varchar) as _raw,
        cast(null as varchar) as _custom_attributes,
        0 as _extra_fields
    where 1 = 0
{% endmacro %}
