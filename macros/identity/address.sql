{#- Address parts (Meta ct / st / zp / country rules). Each returns lower-case text or NULL. -#}

{#- City: Unicode lower-case, only letters (any script) kept - no spaces, digits or
    punctuation ('St. John''s' -> 'stjohns', 'Saint-Étienne' -> 'saintétienne'). -#}
{% macro normalize_city(city_expr) -%}
    {{ return("nullif(" ~ identity_letters_only(identity_lower(city_expr)) ~ ", '')") }}
{%- endmacro %}

{#- Country: ISO 3166-1 alpha-2, lower case. Non-letters are dropped first ('U.S.' -> 'us',
    as Meta's SDK does); a code that is not an assigned alpha-2 gives NULL ('uk', 'xx').
    accept_alpha3 (default true) also maps an assigned alpha-3 code ('USA', 'gbr'). The code
    lists are compiled in (identity_country_alpha3_to_alpha2, a copy of ref_countries). -#}
{% macro normalize_country(country_expr, accept_alpha3=true) -%}
    {%- set codes = identity_country_alpha3_to_alpha2() -%}
    {%- set key = regexp_replace_all("lower(" ~ country_expr ~ ")", "[^a-z]", "") -%}
    {%- set alpha2 = codes.values() | map('lower') | sort -%}
    {%- if not accept_alpha3 -%}
        {{ return("case when " ~ key ~ " in ('" ~ alpha2 | join("', '") ~ "') then " ~ key ~ " end") }}
    {%- endif -%}
    {%- set entries = [] -%}
    {%- for alpha3, code in codes.items() | sort -%}
        {%- do entries.append(alpha3 | lower ~ "=" ~ code | lower) -%}
    {%- endfor -%}
    {%- for code in alpha2 -%}
        {%- do entries.append(code ~ "=" ~ code) -%}
    {%- endfor -%}
    {{ return(_identity_lookup(key, entries, 2)) }}
{%- endmacro %}

{#- Private: look a key up in a compile-time list of 'key=value' entries (values of a fixed
    width) with one position() over a '|'-joined string, so the key expression is evaluated
    a few times instead of once per CASE branch. NULL when absent or when the key is NULL. -#}
{% macro _identity_lookup(key_expr, entries, value_width) -%}
    {%- set table = "'|" ~ entries | join("|") ~ "|'" -%}
    {%- set found = dbt.position("('|' || " ~ key_expr ~ " || '=')", table) -%}
    {{ return("case when " ~ found ~ " > 0 then substr(" ~ table ~ ", " ~ found ~ " + length("
        ~ key_expr ~ ") + 2, " ~ value_width ~ ") end") }}
{%- endmacro %}

{#- Boolean: the country uses the US postal system (US state codes and ZIP codes): the
    United States and its territories (PR, VI, GU, AS, MP, UM), as alpha-2, alpha-3 or the
    plain English name of the United States. -#}
{% macro is_us_postal_country(country_expr) -%}
    {%- set key = regexp_replace_all("lower(" ~ country_expr ~ ")", "[^a-z]", "") -%}
    {{ return("coalesce(" ~ key ~ " in ('us', 'usa', 'unitedstates', 'unitedstatesofamerica',"
        ~ " 'pr', 'pri', 'puertorico', 'vi', 'vir', 'gu', 'gum', 'as', 'asm', 'mp', 'mnp',"
        ~ " 'um', 'umi'), false)") }}
{%- endmacro %}

{#- State / region: in a US-postal country (is_us_postal_country) the 2-letter USPS code in
    lower case, from the code or the name in any case and punctuation ('N.Y.', 'new york',
    'NEW-YORK' -> 'ny'); an unknown US value gives NULL. Elsewhere (and when the country is
    NULL) Meta's rule for non-US states: lower-case letters only ('Île-de-France' ->
    'îledefrance', 'ON' -> 'on'). The code/name list is compiled in (identity_us_states, a
    copy of the seed ref_us_states). Pass coalesce(country, 'US') for US-only data. -#}
{% macro normalize_state(state_expr, country_expr) -%}
    {%- set key = identity_letters_only(identity_lower(state_expr)) -%}
    {%- set lookup = {} -%}
    {%- for code, name in identity_us_states().items() -%}
        {%- do lookup.update({(code | lower): (code | lower)}) -%}
        {%- do lookup.update({(name | lower).replace(' ', '').replace('.', ''): (code | lower)}) -%}
    {%- endfor -%}
    {%- do lookup.update({'washingtondc': 'dc', 'virginislands': 'vi', 'usvirginislands': 'vi',
        'virginislandsus': 'vi', 'usminoroutlyingislands': 'um'}) -%}
    {%- set entries = [] -%}
    {%- for k, code in lookup.items() | sort -%}
        {%- do entries.append(k ~ "=" ~ code) -%}
    {%- endfor -%}
    {{ return("case when " ~ is_us_postal_country(country_expr) ~ " then "
        ~ _identity_lookup(key, entries, 2) ~ " else nullif(" ~ key ~ ", '') end") }}
{%- endmacro %}

{#- Zip / postal code: every whitespace kind removed, lower case. In a US-postal country:
    ZIP+4 ('12345-6789', '123456789') cut to the first 5 digits, a 3- or 4-digit ZIP that
    lost its leading zeros (a spreadsheet did it) padded back ('2134' -> '02134'), anything
    else NULL. Other countries keep their format ('SW1A 1AA' -> 'sw1a1aa', '1000-001'). -#}
{% macro normalize_zip(zip_expr, country_expr) -%}
    {%- set zip = "lower(" ~ identity_remove_whitespace(zip_expr) ~ ")" -%}
    {%- set sql -%}
case
    when {{ is_us_postal_country(country_expr) }} then
        case
            when {{ regexp_matches_full(zip, "[0-9]{5}([-]?[0-9]{4})?") }} then substr({{ zip }}, 1, 5)
            when {{ regexp_matches_full(zip, "[0-9]{3,4}") }} then lpad({{ zip }}, 5, '0')
        end
    else nullif({{ zip }}, '')
end
    {%- endset -%}
    {{ return(sql) }}
{%- endmacro %}
