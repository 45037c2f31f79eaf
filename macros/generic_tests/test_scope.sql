{#- What a data test reads of its model (dbt's `get_where_subquery`, overridden here for the
    whole project; docs/operations.md "Tests on a daily run").

    A test tagged `run_date_scope` (dbt_project.yml: the generic tests of the base models)
    checks only the rows written by a run of this run date, `loaded_as_of = as_of`: a daily run
    checks the new and replaced files it loaded, not the whole history again. A first build or a
    `--full-refresh` writes every row with its run date, so there the scope is the whole table.
    Var `whole_table_tests: true` (the `weekly` selector, `make weekly-tests`) drops the scope.
    The test's own `where` config, when it has one, still applies; untagged tests get dbt's own
    macro. -#}
{% macro default__get_where_subquery(relation) -%}
    {#- true or false, as YAML/JSON or as text ("false" on a command line must not widen it) -#}
    {%- set whole = var('whole_table_tests', false) -%}
    {%- if whole not in [true, false, 'true', 'false'] -%}
        {{ exceptions.raise_compiler_error('var whole_table_tests must be true or false, got: ' ~ whole) }}
    {%- endif -%}
    {%- if 'run_date_scope' not in (config.get('tags') or []) or whole in [true, 'true'] -%}
        {{ return(dbt.default__get_where_subquery(relation)) }}
    {%- endif -%}
    {%- set where = config.get('where', '') -%}
    {%- set scope = 'loaded_as_of = ' ~ closedloop.as_of_date() -%}
    {%- set filtered -%}
        (select * from {{ relation }} where {{ '(' ~ where ~ ') and ' if where }}{{ scope }}) dbt_subquery
    {%- endset -%}
    {{ return(filtered) }}
{%- endmacro %}
