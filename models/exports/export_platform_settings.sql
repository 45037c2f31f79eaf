-- The export rules of every platform as a table: one row per platform, from the settings in
-- the export models' YAML (config.meta.export, collected by macro export_platforms()) and
-- the vars they name. The export candidates and the export tests join it; analysts can read
-- a platform's rules here without opening a YAML file. The window a run actually uses (Meta's
-- first load included) is export_file_status.window_days.
{%- set s = closedloop.sql_string %}
{%- set rows = [] %}
{%- for platform, p in export_platforms().items() %}
    {%- set windowless = not p.get('window_var') %}
    {%- set required_vars = [] %}
    {%- for var_name, field in p.get('required_vars', []) %}
        {%- do required_vars.append(var_name ~ ' (' ~ field ~ ')') %}
    {%- endfor %}
    {%- set reason = export_not_ready_reason(platform) %}
    {%- do rows.append({
        'platform': s(platform),
        'model_name': s(p['model']),
        'is_paid_media': 'true' if p['paid_media'] else 'false',
        'grain': s(p['grain']),
        'window_var': s(p.get('window_var')),
        'window_days': 'null' if windowless else export_window_days(platform),
        'max_window_days': p.get('max_window_days') or 'null',
        'first_load_var': s(p.get('first_load_var')),
        'first_load_days': 'null' if windowless else export_first_load_days(platform),
        'website_max_days': p.get('website_max_days') or 'null',
        'required_identifiers': s((p.get('required_any') or []) | join(', ') or none),
        'requires_lines': 'true' if p.get('requires_lines') else 'false',
        'required_country': s(p.get('country')),
        'required_vars': s(required_vars | join(', ') or none),
        'is_ready': 'false' if reason else 'true',
        'not_ready_reason': s(reason or none),
        'file_format': s(p['file_format']),
        'null_policy': s(p.get('null_policy', 'empty')),
        'max_rows_per_file': p.get('max_rows_per_file') or 'null',
        'sort_columns': s(p['sort'] | join(', ')),
    }) %}
{%- endfor %}
{%- set int_columns = ['window_days', 'max_window_days', 'first_load_days', 'website_max_days'] %}
with settings as (
    {%- for row in rows %}
        select
            {%- for name, value in row.items() %}
                {%- if name in int_columns %}
                    cast({{ value }} as {{ dbt.type_int() }}) as {{ name }}
                {%- elif name == 'max_rows_per_file' %}
                    cast({{ value }} as {{ dbt.type_bigint() }}) as {{ name }}
                {%- else %}
                    {{ value }} as {{ name }}
                {%- endif %}{{ ',' if not loop.last }}
            {%- endfor %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- else %}
        {#- dbt parse: the platforms are known at execution only #}
        select cast(null as {{ dbt.type_string() }}) as platform
    {%- endfor %}
),

final as (
    select * from settings
)

select * from final
