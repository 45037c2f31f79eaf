{#- Daily runs read only what is new: a base model, when incremental, reads the landing files
    it has not loaded yet plus those delivered in the last `lookback_days` days before as_of
    (re-read in case they were replaced or a run was cut short), and drops the rows of files
    that are no longer in scope (beyond as_of, or gone from the folder). Both lists are computed
    at compile time, so the file filter is a constant the engine prunes whole files with. -#}

{#- files_by_entity: landing_files() when the caller has it already (the landing hook). -#}
{% macro files_to_reload(entity, loaded_relation=none, files_by_entity=none) %}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set files = (files_by_entity if files_by_entity is not none else closedloop.landing_files()).get(entity, []) -%}
    {%- set cutoff = (modules.datetime.datetime.strptime(closedloop.as_of(), '%Y-%m-%d')
        - modules.datetime.timedelta(days=var('lookback_days') | int)).strftime('%Y%m%d%H%M%S') -%}
    {%- set loaded = [] -%}
    {%- for r in run_query('select distinct source_file from ' ~ (loaded_relation or this)).rows -%}
        {%- do loaded.append(r[0]) -%}
    {%- endfor -%}
    {%- set reload = [] -%}
    {%- for f in files -%}
        {%- if f['name'] not in loaded or f['timestamp'] >= cutoff -%}
            {%- do reload.append(f['name']) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(reload) }}
{% endmacro %}

{#- SQL list literal of file names, never empty. -#}
{% macro file_list_sql(names) -%}
    ({%- for n in (names or ['__none__']) -%}'{{ n | replace("'", "''") }}'{{ ', ' if not loop.last }}{%- endfor -%})
{%- endmacro %}

{#- Where clause for the landing source in a base model. -#}
{% macro landing_increment_filter(entity) -%}
    {%- if is_incremental() %}
    where _source_file in {{ closedloop.file_list_sql(closedloop.files_to_reload(entity)) }}
    {%- endif %}
{%- endmacro %}

{#- Pre-hook of the base models: removes rows that the run reloads or that are out of scope.
    Runs in the model's transaction, so a run cut short leaves the table as it was. -#}
{% macro delete_reloaded_files(entity=none) -%}
    {%- if execute and is_incremental() -%}
        {%- set ns = namespace(entity=entity) -%}
        {%- for name, e in closedloop.staging_entities().items() if ns.entity is none and e['model'] == this.identifier -%}
            {%- set ns.entity = name -%}
        {%- endfor -%}
        {%- set entity = ns.entity -%}
        {%- set current = [] -%}
        {%- for f in closedloop.landing_files().get(entity, []) -%}{%- do current.append(f['name']) -%}{%- endfor -%}
        delete from {{ this }}
        where source_file in {{ closedloop.file_list_sql(closedloop.files_to_reload(entity)) }}
            or source_file not in {{ closedloop.file_list_sql(current) }}
    {%- else -%}
        select 1 as nothing_to_delete
    {%- endif -%}
{%- endmacro %}
