{#- Type names and seeds on Spark (overrides dbt-spark's / dbt's macros of the same name; the
    root project wins adapter.dispatch for the `dbt` namespace).

    The project's YAML spells types the way DuckDB and PostgreSQL both accept them (`varchar`,
    `integer`, `decimal(18, 4)`, `timestamp`, `boolean`, `date`); Spark rejects `varchar`
    without a length. spark_type_name() maps those names to Spark's; it is applied to seed
    `column_types` and to the `data_type` of enforced contracts (spark__get_empty_schema_sql),
    so one YAML serves every engine (docs/decisions/engines.md, "Type names").

    Seeds: dbt-spark's `method: session` formats seed values into the INSERT with Python's `%`
    (no escaping): a value with a quote (Côte d'Ivoire) breaks the statement, an empty cell
    becomes the text 'None', and every number goes through a float (precision lost beyond 15
    digits). These versions write SQL literals themselves, escaped for Spark's string syntax,
    and map the portable seed column types of the project's YAML (`varchar`, `text`, ...,
    accepted by DuckDB and PostgreSQL) to Spark's `string`, so the seed YAML stays one file
    for every engine. -#}

{% macro spark_type_name(type_name) -%}
    {%- set t = (type_name | string | trim | lower) -%}
    {%- if t in ('varchar', 'text', 'character varying', 'char', 'character', 'bpchar')
          or t.startswith('varchar(') or t.startswith('character varying(') -%}
        {{- return('string') -}}
    {%- elif t in ('integer', 'int4') -%}
        {{- return('int') -}}
    {%- elif t in ('int8',) -%}
        {{- return('bigint') -}}
    {%- elif t in ('float8', 'double precision') -%}
        {{- return('double') -}}
    {%- elif t.startswith('numeric') -%}
        {{- return('decimal' ~ t[7:]) -}}
    {%- else -%}
        {{- return(type_name) -}}
    {%- endif -%}
{%- endmacro %}

{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        {{- return('null') -}}
    {%- elif value is sameas true or value is sameas false -%}
        {{- return('true' if value else 'false') -}}
    {%- elif value is number -%}
        {{- return(value | string) -}}
    {%- elif value is string -%}
        {{- return("'" ~ (value | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") -}}
    {%- elif value.strftime is defined -%}
        {{- return("'" ~ value.isoformat(' ') ~ "'") -}}
    {%- else -%}
        {{- return("'" ~ (value | string | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") -}}
    {%- endif -%}
{%- endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do types.append(closedloop.spark_type_name(
            column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    cast({{ closedloop.spark_seed_literal(value) }} as {{ types[loop.index0] }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%}){%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{% macro spark__create_csv_table(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {% set sql %}
    create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
            {%- set type = closedloop.spark_type_name(column_override.get(col_name, inferred_type)) -%}
            {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }} {{ type }} {%- if not loop.last -%}, {%- endif -%}
        {%- endfor -%}
    )
    {{ file_format_clause() }}
    {{ partition_cols(label="partitioned by") }}
    {{ clustered_cols(label="clustered by") }}
    {{ location_clause() }}
    {{ comment_clause() }}
    {% endset %}
    {% call statement('_') -%}
        {{ sql }}
    {%- endcall %}
    {{ return(sql) }}
{% endmacro %}

{#- Enforced contracts: dbt checks the model's columns against `cast(null as <data_type>)` of
    each YAML column; with the type names mapped, `varchar` compares as Spark's `string`. -#}
{% macro spark__get_empty_schema_sql(columns) %}
    {%- set mapped = {} -%}
    {%- for name in columns -%}
        {%- set col = {} -%}
        {%- do col.update(columns[name]) -%}
        {%- if col.get('data_type') -%}
            {%- do col.update({'data_type': closedloop.spark_type_name(col['data_type'])}) -%}
        {%- endif -%}
        {%- do mapped.update({name: col}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(mapped)) }}
{% endmacro %}

{#- Contract constraints (NOT NULL, ...) on Spark: dbt-spark applies them with ALTER TABLE
    whenever `file_format` is unset, assuming Delta; open-source Spark's Parquet tables reject
    that ("does not support ALTER COLUMN ... SET NOT NULL"). Here an unset `file_format` means
    the session default, which this project's profiles make Parquet: constraints are added
    only to tables configured `file_format: delta` (or with CLOSED_LOOP_SPARK_FILE_FORMAT=delta,
    e.g. on Databricks). The data tests check the same columns on every engine anyway. -#}
{% macro spark__persist_constraints(relation, model) %}
    {%- set contract_config = config.get('contract') -%}
    {%- set file_format = config.get('file_format', none) or env_var('CLOSED_LOOP_SPARK_FILE_FORMAT', 'parquet') -%}
    {%- if contract_config.enforced and file_format == 'delta' -%}
        {%- do alter_table_add_constraints(relation, model.constraints) -%}
        {%- do alter_column_set_constraints(relation, model.columns) -%}
    {%- endif -%}
{% endmacro %}
