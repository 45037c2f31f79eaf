{#- Units per purchase conversion, exact: the sum of the quantities (fct_transaction_items,
    decimal) of its sold lines (export_prep__conversion_items, which rounds them to whole
    numbers for the JSON contents of Meta and TikTok). Columns transaction_id, number_items.
    Pinterest `quantity` and Snapchat `number_items` carry it: 2.5 units stay 2.5. -#}
{% macro export_exact_number_items() %}
    select
        sold_lines.transaction_id,
        sum(items.quantity) as number_items
    from {{ ref('export_prep__conversion_items') }} as sold_lines
    inner join {{ ref('fct_transaction_items') }} as items
        on sold_lines.transaction_item_id = items.transaction_item_id
    group by sold_lines.transaction_id
{% endmacro %}
