{#- Generic data tests written in the project (the dbt package hub is out of reach). -#}

{#- The combination of columns is unique (the primary key of a multi-column grain). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    select {{ combination_of_columns | join(', ') }}, count(*) as occurrences
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{#- Every row satisfies a boolean SQL expression (rows where it is false or NULL fail). -#}
{% test expression_is_true(model, expression, where_clause=none) %}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
    {%- if where_clause %}
        and ({{ where_clause }})
    {%- endif %}
{% endtest %}

{#- Two relations have the same number of rows (optionally filtered). -#}
{% test equal_row_count(model, compare_model, where_clause=none, compare_where_clause=none) %}
    with a as (
        select count(*) as n from {{ model }} {% if where_clause %}where {{ where_clause }}{% endif %}
    ),
    b as (
        select count(*) as n from {{ compare_model }} {% if compare_where_clause %}where {{ compare_where_clause }}{% endif %}
    )
    select a.n as model_rows, b.n as compare_rows
    from a cross join b
    where a.n <> b.n
{% endtest %}

{#- Values lie within [min_value, max_value] (either bound optional). -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none) %}
    select *
    from {{ model }}
    where {{ column_name }} is not null
    {%- if min_value is not none %}
        and ({{ column_name }} < {{ min_value }}
    {%- if max_value is not none %} or {{ column_name }} > {{ max_value }}{% endif %})
    {%- elif max_value is not none %}
        and {{ column_name }} > {{ max_value }}
    {%- endif %}
{% endtest %}
