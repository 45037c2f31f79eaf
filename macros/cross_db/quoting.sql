{#- The one way a value built from data (a file name, a column name, a source prefix, a var
    value) reaches SQL: as a string literal, never pasted between quotes by hand.
    Standard SQL doubles the single quote; Spark SQL also treats the backslash as an escape
    character inside literals, so it is escaped there too. A NUL cannot be in a literal at all
    and is refused. `none` becomes a typed NULL. -#}
{% macro sql_string(value) -%}
    {{- return(adapter.dispatch('sql_string', 'closedloop')(value)) -}}
{%- endmacro %}

{% macro default__sql_string(value) -%}
    {%- if value is none -%}
        {{- return('cast(null as ' ~ dbt.type_string() ~ ')') -}}
    {%- endif -%}
    {%- set text = value | string -%}
    {%- if '\x00' in text -%}
        {{ exceptions.raise_compiler_error('sql_string: a NUL character cannot be put into SQL') }}
    {%- endif -%}
    {{- return("'" ~ text.replace("'", "''") ~ "'") -}}
{%- endmacro %}

{% macro spark__sql_string(value) -%}
    {%- if value is none -%}
        {{- return('cast(null as string)') -}}
    {%- endif -%}
    {%- set text = value | string -%}
    {%- if '\x00' in text -%}
        {{ exceptions.raise_compiler_error('sql_string: a NUL character cannot be put into SQL') }}
    {%- endif -%}
    {{- return("'" ~ text.replace('\\', '\\\\').replace("'", "\\'") ~ "'") -}}
{%- endmacro %}

{#- An identifier built from data (a column name): the engine's quote character doubled inside
    the engine's quotes. adapter.quote alone does not escape the quote character. -#}
{% macro sql_identifier(name) -%}
    {{- return(adapter.dispatch('sql_identifier', 'closedloop')(name)) -}}
{%- endmacro %}

{% macro default__sql_identifier(name) -%}
    {{- return('"' ~ (name | string).replace('"', '""') ~ '"') -}}
{%- endmacro %}

{% macro spark__sql_identifier(name) -%}
    {{- return('`' ~ (name | string).replace('`', '``') ~ '`') -}}
{%- endmacro %}
