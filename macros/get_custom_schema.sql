{#- Models land in the schema named by their folder config (staging, marts, exports, ...),
    not in <target schema>_<name>: analysts query marts.fct_events, not main_marts.fct_events. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
