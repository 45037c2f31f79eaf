{#- Pre-hook of the incremental history models (export_ledger, export_audit): drop the rows
    of the current as_of before they are inserted again, so a re-run replaces them. With
    `status` (the ledger passes ref('export_file_status')) the rows of platforms whose file for
    this as_of was already written (file_status kept) stay: what was sent is never
    un-recorded. -#}
{% macro export_replace_as_of_hook(as_of_column, status=none) %}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ as_of_column }} = {{ export_as_of_date() }}
        {%- if status %}
            and platform not in (
                select platform from {{ status }} where file_status = 'kept'
            )
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
