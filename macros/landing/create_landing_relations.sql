{#- Makes the landing folder's files available as the `landing` source relations: one view per
    entity with the columns of docs/architecture.md, and `landing.files`, one row per file
    (loaded or quarantined). Runs as on-run-start hook.
    DuckDB: the project's landing reader (scripts/closedloop_landing, a dbt-duckdb plugin)
    reads each file with Python's csv module into a canonical file; the views read those.
    Other engines get their raw tables from scripts/load_landing.py, so their hook does nothing. -#}
{% macro create_landing_relations() %}
    {{ return(adapter.dispatch('create_landing_relations', 'closedloop')()) }}
{% endmacro %}

{% macro default__create_landing_relations() %}
    select 1 as landing_loaded_by_script
{% endmacro %}

{#- Folder of the canonical files and the manifest: CLOSED_LOOP_LANDING_CACHE, else next to
    the database file. -#}
{% macro landing_cache_path() %}
    {{ return(env_var('CLOSED_LOOP_LANDING_CACHE', (target.path or 'target/closedloop.duckdb') ~ '.landing')) }}
{% endmacro %}

{#- Stages the folder (reads new and replaced files) and returns the manifest rows; stops the
    run, before any model runs, when the folder is missing, empty or unreadable. -#}
{% macro stage_landing_folder() %}
    {%- set call -%}
        select closedloop_stage_landing(
            {{ closedloop.sql_string(closedloop.landing_path()) }},
            {{ closedloop.sql_string(closedloop.as_of()) }},
            {{ closedloop.sql_string(closedloop.landing_cache_path()) }},
            {{ closedloop.sql_string(tojson(closedloop.landing_contract())) }}
        ) as manifest
    {%- endset -%}
    {%- set result = fromjson(run_query(call).columns[0].values()[0]) -%}
    {%- if 'error' in result and flags.WHICH not in ('run', 'build') -%}
        {#- seed, test, docs, run-operation...: nothing is loaded, so nothing can be lost. -#}
        {{ log("Landing: " ~ result['error'] ~ "; the landing relations are left as they are.", info=true) }}
        {{ return(none) }}
    {%- elif 'error' in result -%}
        {{ exceptions.raise_compiler_error("Landing: " ~ result['error'] ~ ". Nothing was built or changed; check CLOSED_LOOP_LANDING (or var landing_path).") }}
    {%- endif -%}
    {{ return(result['files']) }}
{% endmacro %}

{% macro duckdb__create_landing_relations() %}
    {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
    {%- set files = closedloop.stage_landing_folder() -%}
    {%- if files is none -%}{{ return('select 1 as landing_unchanged') }}{%- endif -%}
    {%- do run_query('create schema if not exists landing') -%}
    {%- do run_query('create or replace table landing.files as ' ~ closedloop.duckdb__read_landing_manifest()) -%}
    {%- for entity, spec in closedloop.landing_contract().items() -%}
        {#- Only files not yet in the base table as delivered (name and content hash) are
            opened: a daily run reads the new and the replaced files, nothing else. -#}
        {%- set base = closedloop.staging_entities()[entity]['model'] -%}
        {%- set loaded_relation = adapter.get_relation(database=target.database, schema='staging', identifier=base) -%}
        {%- set loaded = [] -%}
        {%- if loaded_relation is not none and not flags.FULL_REFRESH -%}
            {%- for r in run_query('select distinct source_file, file_sha256 from ' ~ loaded_relation).rows -%}
                {%- do loaded.append(r[0] ~ '/' ~ r[1]) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- set paths = [] -%}
        {%- for f in files if f['entity'] == entity and f['file_status'] == 'loaded'
              and (f['file_name'] ~ '/' ~ f['file_sha256']) not in loaded -%}
            {%- do paths.append(f['canonical_path']) -%}
        {%- endfor -%}
        {%- do run_query('create or replace view landing.' ~ entity ~ ' as\n'
                         ~ closedloop.duckdb__read_canonical(paths, spec['columns'])) -%}
    {%- endfor -%}
    {#- Committed here: `dbt run-operation` (scripts/load_landing.py) rolls back otherwise. -#}
    {%- if flags.WHICH == 'run-operation' -%}{%- do run_query('commit') -%}{%- endif -%}
    {{ return('select 1 as landing_views_created') }}
{% endmacro %}

{#- The canonical columns (scripts/closedloop_landing/stage.py) with their types. -#}
{% macro landing_canonical_columns(contract_columns) %}
    {%- set cols = [('_source_file', 'varchar'), ('_source_system', 'varchar'), ('_file_timestamp', 'varchar'),
                    ('_file_sha256', 'varchar'), ('_row_number', 'bigint'), ('_line_number', 'bigint'),
                    ('_line_count', 'bigint'), ('_load_order', 'bigint')] -%}
    {%- for c in contract_columns -%}{%- do cols.append((c, 'varchar')) -%}{%- endfor -%}
    {%- do cols.extend([('_raw', 'varchar'), ('_custom_attributes', 'varchar'), ('_extra_fields', 'integer'),
                        ('_structural_reason', 'varchar'), ('_reject_column', 'varchar')]) -%}
    {{ return(cols) }}
{% endmacro %}

{% macro duckdb__read_canonical(paths, contract_columns) %}
    {%- set cols = closedloop.landing_canonical_columns(contract_columns) -%}
    {%- if paths | length == 0 -%}
    select
        {%- for name, type in cols %}
        cast(null as {{ type }}) as {{ closedloop.sql_identifier(name) }},
        {%- endfor %}
        cast(null as timestamp) as _file_loaded_at
    where 1 = 0
    {%- else -%}
    select
        *,
        strptime(_file_timestamp, '%Y%m%d%H%M%S') as _file_loaded_at
    from read_csv(
        [{%- for p in paths %}{{ closedloop.sql_string(p) }}{{ ', ' if not loop.last }}{% endfor -%}],
        delim = ',', quote = '"', escape = '"', header = true, auto_detect = false,
        strict_mode = true, new_line = '\n',
        columns = { {%- for name, type in cols %}{{ closedloop.sql_string(name) }}: '{{ type }}'{{ ', ' if not loop.last }}{% endfor -%} }
    )
    {%- endif -%}
{% endmacro %}

{% macro duckdb__read_landing_manifest() %}
    select
        file_name, entity, source_system, file_timestamp, file_sha256, file_status,
        quarantine_reason, quarantine_detail, physical_lines, blank_lines, rows_read,
        strptime(file_timestamp, '%Y%m%d%H%M%S') as file_loaded_at
    from read_csv(
        {{ closedloop.sql_string(closedloop.landing_cache_path() ~ '/manifest.csv') }},
        delim = ',', quote = '"', escape = '"', header = true, auto_detect = false, strict_mode = true,
        columns = {'file_name': 'varchar', 'entity': 'varchar', 'source_system': 'varchar',
                   'file_timestamp': 'varchar', 'file_sha256': 'varchar', 'file_status': 'varchar',
                   'quarantine_reason': 'varchar', 'quarantine_detail': 'varchar',
                   'physical_lines': 'bigint', 'blank_lines': 'bigint', 'rows_read': 'bigint',
                   'canonical_path': 'varchar'}
    )
{% endmacro %}
