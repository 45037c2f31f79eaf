{#- Units per purchase conversion, exact: the sum of the quantities of `items`
    (fct_transaction_items, decimal) of the sold lines in `sold_lines`
    (export_prep__conversion_items, which rounds them to whole numbers for the JSON contents of
    Meta and TikTok). Columns transaction_id, number_items. Pinterest `quantity` and Snapchat
    `number_items` carry it: 2.5 units stay 2.5. The caller refs both relations. -#}
{% macro export_exact_number_items(sold_lines, items) %}
    select
        sold_lines.transaction_id,
        sum(items.quantity) as number_items
    from {{ sold_lines }} as sold_lines
    inner join {{ items }} as items
        on sold_lines.transaction_item_id = items.transaction_item_id
    group by sold_lines.transaction_id
{% endmacro %}
