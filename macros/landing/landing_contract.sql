{#- The raw feed contract (docs/feed-contract.md): per entity, its columns in file order
    and the required ones. Every other column of a file is a custom attribute. -#}
{% macro landing_contract() %}
    {{ return({
        'campaign': {
            'columns': ['SourceCampaignNumber', 'Name', 'Description', 'Type', 'StartDate', 'EndDate',
                        'DateCreated', 'DeleteFlag'],
            'required': ['SourceCampaignNumber', 'Name']},
        'dispatch': {
            'columns': ['SourceDispatchNumber', 'Name', 'SourceCampaignNumber', 'Type', 'SubType',
                        'DateCreated', 'AttributionStartDate', 'AttributionWindow', 'DeleteFlag'],
            'required': ['SourceDispatchNumber', 'Name', 'SourceCampaignNumber']},
        'message': {
            'columns': ['SourceMessageNumber', 'SourceDispatchNumber', 'Name', 'Subject', 'Content',
                        'SendDate', 'MessageFrom', 'Links', 'Variant', 'Cost', 'AttributionStartDate',
                        'AttributionWindow', 'DateCreated', 'DeleteFlag'],
            'required': ['SourceMessageNumber', 'SourceDispatchNumber', 'Name']},
        'event': {
            'columns': ['Type', 'EventTimeStamp', 'SourceCustomerNumber', 'Email', 'Subtype',
                        'SourceMessageNumber', 'Cookie', 'SessionID', 'URL', 'SourceProductNumber',
                        'SourceTransactionNumber', 'Value'],
            'required': ['Type', 'EventTimeStamp']},
        'customer': {
            'columns': ['SourceCustomerNumber', 'FirstName', 'LastName', 'Email', 'MobilePhone',
                        'PrimaryPhone', 'Address1', 'City', 'State', 'ZipCode', 'Country', 'BirthDate',
                        'Gender', 'Preferences', 'DateCreated', 'DateModified', 'DeleteFlag'],
            'required': ['SourceCustomerNumber']},
        'transaction': {
            'columns': ['SourceTransactionNumber', 'SourceCustomerNumber', 'SourceOrganizationNumber',
                        'TransactionTimeStamp', 'Type', 'Total', 'Currency', 'Discount', 'Tax', 'DeleteFlag'],
            'required': ['SourceTransactionNumber', 'SourceCustomerNumber', 'SourceOrganizationNumber',
                         'TransactionTimeStamp']},
        'transactionitem': {
            'columns': ['SourceTransactionItemNumber', 'SourceTransactionNumber', 'SourceProductNumber',
                        'ProductName', 'ProductCategory', 'Quantity', 'SaleRevenue', 'Type', 'DeleteFlag'],
            'required': ['SourceTransactionItemNumber', 'SourceTransactionNumber', 'SourceProductNumber']},
        'organization': {
            'columns': ['SourceOrganizationNumber', 'Name', 'Type', 'Country', 'State', 'City', 'TimeZone',
                        'DeleteFlag'],
            'required': ['SourceOrganizationNumber', 'Name']},
    }) }}
{% endmacro %}

{#- Landing folder: CLOSED_LOOP_LANDING wins over the `landing_path` var. -#}
{% macro landing_path() %}
    {{ return(env_var('CLOSED_LOOP_LANDING', var('landing_path'))) }}
{% endmacro %}

{#- The run date as a SQL date literal. -#}
{% macro as_of_date() -%}
    cast({{ closedloop.sql_string(closedloop.as_of()) }} as date)
{%- endmacro %}

{#- The run date as 'YYYY-MM-DD': var `as_of`, else today in UTC. -#}
{% macro as_of() %}
    {%- set v = var('as_of', '') | string | trim -%}
    {%- if v in ('', 'None') -%}
        {%- set v = modules.datetime.datetime.utcnow().strftime('%Y-%m-%d') -%}
    {%- elif not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', v) -%}
        {#- as_of is compared with file stamps as text: a sloppy date would shift the files in scope. -#}
        {{ exceptions.raise_compiler_error("var as_of must be a date YYYY-MM-DD, got '" ~ v ~ "'") }}
    {%- else -%}
        {#- A real calendar day: 2026-02-30 is refused before anything runs. -#}
        {%- set y, m, d = v[:4] | int, v[5:7] | int, v[8:10] | int -%}
        {%- set month_days = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
        {%- if y < 1 or m < 1 or m > 12 or d < 1 or d > month_days[m - 1] -%}
            {{ exceptions.raise_compiler_error("var as_of must be a real calendar date YYYY-MM-DD, got '" ~ v ~ "'") }}
        {%- endif -%}
    {%- endif -%}
    {{ return(v) }}
{% endmacro %}
