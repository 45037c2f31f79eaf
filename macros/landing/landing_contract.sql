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

{#- The run date as 'YYYY-MM-DD': var `as_of`, else today in UTC. -#}
{% macro as_of() %}
    {%- set v = var('as_of', '') | string | trim -%}
    {%- if v in ('', 'None') -%}
        {%- set v = modules.datetime.datetime.utcnow().strftime('%Y-%m-%d') -%}
    {%- elif not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', v) -%}
        {#- as_of is compared with file stamps as text: a sloppy date would shift the files in scope. -#}
        {{ exceptions.raise_compiler_error("var as_of must be a date YYYY-MM-DD, got '" ~ v ~ "'") }}
    {%- endif -%}
    {{ return(v) }}
{% endmacro %}

{#- Parses a landing file name: [source_]entity_yyyymmddhhmiss.csv -> dict or none. -#}
{% macro parse_landing_file_name(file_name) %}
    {%- set m = modules.re.match(
        '^(?:(?P<source>.+)_)?(?P<entity>transactionitem|transaction|campaign|dispatch|message|event|customer|organization)_(?P<ts>[0-9]{14})\\.csv$',
        file_name, modules.re.IGNORECASE) -%}
    {%- if not m -%}{{ return(none) }}{%- endif -%}
    {{ return({
        'source_system': (m.group('source') or '') | lower,
        'entity': m.group('entity') | lower,
        'timestamp': m.group('ts')}) }}
{% endmacro %}
