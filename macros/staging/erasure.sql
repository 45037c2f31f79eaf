{#- Erasure inside the warehouse (var erase_deleted_customers, docs/feed-contract.md#erasure).
    The personal columns of each base table are listed here, and nowhere else. An erased row
    keeps its keys, lineage, timestamps, amounts and reject reason (so ingestion_audit still
    reconciles); its personal columns become NULL and raw_row the marker below. -#}
{% macro erased_raw_row() -%}
    {{ return(closedloop.sql_string('{"erased": true}')) }}
{%- endmacro %}

{#- base table -> the columns set to NULL when a row is erased -#}
{% macro erasure_personal_columns() %}
    {{ return({
        'customers': ['first_name', 'last_name', 'email', 'mobile_phone', 'primary_phone', 'address_1',
                      'city', 'state', 'zip_code', 'birth_date_text', 'birth_date', 'gender',
                      'preferences', 'custom_attributes'],
        'events': ['email', 'cookie', 'session_id', 'url', 'custom_attributes'],
        'transactions': ['custom_attributes'],
    }) }}
{% endmacro %}

{#- var erase_deleted_customers as a boolean (true / false, also as text); anything else stops
    the run, so that a typo never silently leaves personal data in place. -#}
{% macro erasure_enabled() %}
    {%- set value = var('erase_deleted_customers', false) %}
    {%- if value in (true, 'true', 'True', 'TRUE') %}
        {{ return(true) }}
    {%- elif value in (false, 'false', 'False', 'FALSE', none, '') %}
        {{ return(false) }}
    {%- endif %}
    {{ exceptions.raise_compiler_error("var erase_deleted_customers must be true or false, got " ~ value) }}
{% endmacro %}

{#- on-run-start, after the landing relations: erases the base rows of the customers listed in
    `erasures` (export_customer_erasures, written by earlier runs) before any model reads them.
    A customer's rows are found by customer number; an event without a customer number also
    by the SHA-256 of its normalized email (the erased customer's email is no longer in the
    warehouse, only its hash), and then takes the customer's number, so that it stays
    'erased' for event resolution. Tables that do not exist yet (first run) are skipped. -#}
{% macro erase_customer_data(erasures, customers, events, transactions) %}
    {%- if execute and closedloop.erasure_enabled() and load_relation(erasures) is not none %}
        {%- set tables = {'customers': customers, 'events': events, 'transactions': transactions} %}
        {%- set setup = adapter.dispatch('erasure_session_setup', 'closedloop')() %}
        {%- if setup %}{% do run_query(setup) %}{% endif %}
        {%- for name, relation in tables.items() %}
            {%- if load_relation(relation) is not none %}
                {%- do run_query(adapter.dispatch('erase_rows', 'closedloop')(name, relation, erasures)) %}
            {%- endif %}
        {%- endfor %}
    {%- endif %}
    select 1 as customer_data_erased
{% endmacro %}

{#- The erasures by email: one customer number per email hash. -#}
{% macro erasure_email_owners(erasures) -%}
    select email_sha256, min(customer_id) as customer_id
    from {{ erasures }}
    where email_sha256 is not null
    group by email_sha256
{%- endmacro %}

{#- DuckDB and PostgreSQL: an UPDATE of the rows not erased yet. -#}
{% macro default__erase_rows(name, relation, erasures) %}
    {%- set email_hash = closedloop.sha256_hex(closedloop.normalize_email('email')) %}
    update {{ relation }}
    set
        {%- if name == 'events' %}
        customer_id = coalesce(customer_id, (
            select owners.customer_id
            from ({{ closedloop.erasure_email_owners(erasures) }}) as owners
            where owners.email_sha256 = {{ email_hash }}
        )),
        {%- endif %}
        {%- for column in closedloop.erasure_personal_columns()[name] %}
        {{ column }} = null,
        {%- endfor %}
        raw_row = {{ closedloop.erased_raw_row() }}
    where
        raw_row <> {{ closedloop.erased_raw_row() }}
        and (
            customer_id in (select customer_id from {{ erasures }})
            {%- if name == 'events' %}
            or (customer_id is null and {{ email_hash }} in (
                select email_sha256 from {{ erasures }} where email_sha256 is not null
            ))
            {%- endif %}
        )
{% endmacro %}

{% macro default__erasure_session_setup() %}{{ return(none) }}{% endmacro %}
{#- Spark: the overwrite below replaces only the partitions it writes. -#}
{% macro spark__erasure_session_setup() %}
    {{ return('set spark.sql.sources.partitionOverwriteMode = dynamic') }}
{% endmacro %}

{#- Spark (Parquet, no UPDATE): the partitions (landing files) holding rows to erase are
    written again, from the table itself, with those rows erased (dynamic partition overwrite;
    the partition column, source_file, comes last). -#}
{% macro spark__erase_rows(name, relation, erasures) %}
    {%- set email_hash = closedloop.sha256_hex(closedloop.normalize_email('base_rows.email')) %}
    {%- set personal = closedloop.erasure_personal_columns()[name] %}
    {%- set erased -%}
        base_rows.raw_row <> {{ closedloop.erased_raw_row() }}
        and (by_number.customer_id is not null
        {%- if name == 'events' %} or by_email.customer_id is not null{% endif %})
    {%- endset %}
    {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | reject('equalto', 'source_file') | list %}
    {#- every row of the table with the erasure it matches (by number, events also by email) -#}
    {%- set rows_and_erasures -%}
        from {{ relation }} as base_rows
        left join {{ erasures }} as by_number
            on base_rows.customer_id = by_number.customer_id
        {%- if name == 'events' %}
        left join ({{ closedloop.erasure_email_owners(erasures) }}) as by_email
            on base_rows.customer_id is null and {{ email_hash }} = by_email.email_sha256
        {%- endif %}
    {%- endset %}
    insert overwrite table {{ relation }} partition (source_file)
    select
        {%- for column in columns %}
        {%- if column == 'raw_row' %}
        case when {{ erased }} then {{ closedloop.erased_raw_row() }} else base_rows.raw_row end as raw_row,
        {%- elif column in personal %}
        case when {{ erased }} then null else base_rows.{{ column }} end as {{ column }},
        {%- elif column == 'customer_id' and name == 'events' %}
        coalesce(base_rows.customer_id, by_email.customer_id) as customer_id,
        {%- else %}
        base_rows.{{ column }},
        {%- endif %}
        {%- endfor %}
        base_rows.source_file
    {{ rows_and_erasures }}
    where base_rows.source_file in (
        select base_rows.source_file
        {{ rows_and_erasures }}
        where {{ erased }}
    )
{% endmacro %}
