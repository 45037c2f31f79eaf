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
    {%- if 'run_date_scope' not in (config.get('tags') or []) or var('whole_table_tests', false) -%}
        {{ return(dbt.default__get_where_subquery(relation)) }}
    {%- endif -%}
    {%- set where = config.get('where', '') -%}
    {%- set scope = 'loaded_as_of = ' ~ closedloop.as_of_date() -%}
    {%- set filtered -%}
        (select * from {{ relation }} where {{ '(' ~ where ~ ') and ' if where }}{{ scope }}) dbt_subquery
    {%- endset -%}
    {{ return(filtered) }}
{%- endmacro %}
