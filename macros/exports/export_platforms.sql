{#- The export contract of every platform (docs/export-contract.md), collected from the
    export models' YAML: each models/exports/export_<platform>.yml carries its platform's
    settings in config.meta.export and, per file column, config.meta.file_header and
    config.meta.value_kind (the column's order in the YAML is its order in the file). This is
    the one place that reads `graph`, and only for that configuration: the relations are
    always ref()'d at the call site. Model export_platform_settings shows the result as a
    table (one row per platform); export_layout as one row per file column.

    Keys per platform (config.meta.export):
      platform         the platform's name (meta, the_trade_desk, ...)
      paid_media       DNS / deleted customers never appear; identifiers are hashed
      grain            conversion (one row per conversion), line (one per product line),
                       conversion_identifier (one per conversion and identifier),
                       customer (snapshot platforms)
      window_var       dbt var holding the window in days
      max_window_days  the platform's own limit: a larger var is cut to it (with a warning)
      first_load_var   dbt var: window of the first load (no ledger row for the platform yet)
      website_max_days window limit of action_source website events (Meta)
      required_any     export_prep__customer_identifiers columns: a conversion needs one of them
      requires_lines   a conversion needs product lines (Criteo sends one row per line)
      country          organization country the conversions must come from (alpha-2)
      file_format      csv or jsonl
      null_policy      jsonl only: omit (NULL keys left out) or keep (written as null)
      max_rows_per_file  the writer splits a larger file into parts
      required_vars    [[var, field]]: ids the brand must set; while one is empty the platform
                       is not ready (export_file_status): no file, nothing recorded as sent
      business_columns export-table columns whose values come from orders, products or stores,
                       never from the customer record: the clear-text test does not compare
                       them with customers' names and street addresses (a store in Lincoln is
                       not a leak of Mr Lincoln); emails and phones are still looked for
      sort             file row order (the writer adds every other column as a tie-break)
      folder           output folder under $CLOSED_LOOP_OUTPUT (default: the platform's name),
                       e.g. braze/user_delete for the Braze deletion file
      sent_to          grain request only: [platforms] - a key is sent only when the ledger
                       shows it sent to one of them on an earlier as_of (a deletion request
                       for a customer the platform received)
    Grain request: one row per request (a deletion), sent once like an event, no window.
    A file column may set config.meta.null_policy (omit / keep) to override the platform's
    (Braze: email_subscribe and subscription_groups are left out when NULL).
    Added here: model (the model's name), columns, [model column, file header, kind] in
    file order, and column_null_policy {model column: null policy} for the overrides. kind: text (CSV: a cell starting = + - @ tab CR is neutralised with a
    leading '), number, quantity (a number written exactly, trailing zeros dropped: 2.5, 3),
    hash (SHA-256 hex / Base64, checked by the writer, never neutralised) or json.
    Platforms come in name order. Before execution (dbt parse) the graph is not complete and
    this returns no platform. -#}
{% macro export_platforms() %}
    {%- set platforms = {} -%}
    {%- if not execute -%}{{ return(platforms) }}{%- endif -%}
    {%- set models = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.config.meta.get('export') -%}
            {%- do models.append(node) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for node in models | sort(attribute='name') -%}
        {%- set settings = node.config.meta['export'] -%}
        {%- set columns = [] -%}
        {%- set column_null_policy = {} -%}
        {%- for column in node.columns.values() -%}
            {%- set column_meta = column.get('config', {}).get('meta', {}) or column.get('meta', {}) -%}
            {%- if column_meta.get('file_header') -%}
                {%- do columns.append([column.name, column_meta['file_header'], column_meta['value_kind']]) -%}
                {%- if column_meta.get('null_policy') -%}
                    {%- do column_null_policy.update({column.name: column_meta['null_policy']}) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set platform = dict(settings) -%}
        {%- do platform.update({'model': node.name, 'columns': columns, 'column_null_policy': column_null_policy}) -%}
        {%- do platforms.update({settings['platform']: platform}) -%}
    {%- endfor -%}
    {{ return(platforms) }}
{% endmacro %}

{#- Names of the platforms, optionally only the paid-media ones or those of one grain. -#}
{% macro export_platform_names(paid_media=none) %}
    {%- set names = [] -%}
    {%- for name, p in export_platforms().items() -%}
        {%- if paid_media is none or p['paid_media'] == paid_media -%}
            {%- do names.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}

{#- The same names as a SQL list of string literals ('meta', 'tiktok'), optionally of one grain. -#}
{% macro export_platform_names_sql(paid_media=none, grain=none) %}
    {%- set names = [] -%}
    {%- for name in export_platform_names(paid_media) -%}
        {%- if grain is none or export_platforms()[name]['grain'] == grain -%}
            {%- do names.append("'" ~ name ~ "'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(names | join(', ')) }}
{% endmacro %}

{#- A platform's window in days: its var, cut to the platform's own limit. -#}
{% macro export_window_days(platform) %}
    {%- set p = export_platforms()[platform] -%}
    {%- set days = var(p['window_var']) | int -%}
    {%- if days < 0 -%}
        {{ exceptions.raise_compiler_error("var " ~ p['window_var'] ~ " must be >= 0, got " ~ days) }}
    {%- endif -%}
    {%- if p.get('max_window_days') and days > p['max_window_days'] -%}
        {%- do exceptions.warn("var " ~ p['window_var'] ~ "=" ~ days ~ " exceeds the platform limit; using "
            ~ p['max_window_days']) -%}
        {%- set days = p['max_window_days'] -%}
    {%- endif -%}
    {{ return(days) }}
{% endmacro %}

{#- A platform's first-load window in days (0 = no first-load backfill). -#}
{% macro export_first_load_days(platform) %}
    {%- set p = export_platforms()[platform] -%}
    {%- if not p.get('first_load_var') -%}{{ return(0) }}{%- endif -%}
    {%- set days = var(p['first_load_var']) | int -%}
    {%- if p.get('max_window_days') and days > p['max_window_days'] -%}
        {%- do exceptions.warn("var " ~ p['first_load_var'] ~ "=" ~ days ~ " exceeds the platform limit; using "
            ~ p['max_window_days']) -%}
        {%- set days = p['max_window_days'] -%}
    {%- endif -%}
    {{ return(days if days > export_window_days(platform) else 0) }}
{% endmacro %}

{#- Why a platform's file cannot be sent on this run, '' when it can: an id the brand must
    set (required_vars: The Trade Desk TrackingTagId, TikTok event_source_id) is empty. -#}
{% macro export_not_ready_reason(platform) %}
    {%- set reasons = [] -%}
    {%- for var_name, field in export_platforms()[platform].get('required_vars', []) -%}
        {%- set value = var(var_name, '') -%}
        {%- if value is none or not (value | string | trim) -%}
            {%- do reasons.append('var ' ~ var_name ~ ' is empty (' ~ field ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(reasons | join('; ')) }}
{% endmacro %}
