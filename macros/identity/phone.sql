{#- Phone number -> E.164 text '+<country code><national significant number>', or NULL.

    Arguments are SQL expressions; all but the first normally come from the seed
    ref_countries joined on the customer's country (normalize_phone_e164_ref does that
    wiring): calling_code_expr ('44'), trunk_prefix_expr ('0'; NULL/'' when none),
    international_prefix_expr (the country's IDD, e.g. '011', '0011'; NULL -> '00'),
    nsn_lengths_expr (possible lengths of the national significant number, '7,9,10').

    Rules (a length-only approximation of libphonenumber's parse + is_possible_number):
    1. An extension is cut off ('ext', 'x', '#', ';' or ',' and what follows), '(0)' is
       dropped (the "omit when calling from abroad" trunk zero), every non-digit is dropped.
    2. International form: a '+' before the first digit, or the digits start with the
       country's IDD, or with '00'. The IDD is removed. If the number then starts with the
       customer's calling code it is checked like a national number of that country (trunk
       prefix after the code removed, length in nsn_lengths); otherwise (another country)
       it is accepted when it starts with a calling code in service (identity_calling_codes)
       and has 8 to 15 digits.
    3. National form (needs the customer's calling code): a leading calling code without '+'
       is removed when the full length is impossible and the rest is possible ('1 212 555
       0142' for US, '44 20 7946 0958' for GB); otherwise the country's trunk prefix is
       removed (always when it starts with 0, else only when the length says so: RU '8').
    4. The national significant number must have one of the nsn_lengths (6 to 14 digits when
       the lengths are unknown), and the E.164 number at most 15 digits.

    The digit string is referenced many times; DuckDB and PostgreSQL evaluate the expression
    as is, Spark binds it once in a lambda (its code generator rejects very large
    expressions). -#}
{% macro normalize_phone_e164(phone_expr, calling_code_expr, trunk_prefix_expr="null", international_prefix_expr="null", nsn_lengths_expr="null") -%}
    {{ return(adapter.dispatch('normalize_phone_e164', 'closedloop')(
        phone_expr, calling_code_expr, trunk_prefix_expr, international_prefix_expr, nsn_lengths_expr)) }}
{%- endmacro %}

{% macro default__normalize_phone_e164(phone_expr, calling_code_expr, trunk_prefix_expr, international_prefix_expr, nsn_lengths_expr) -%}
    {{ return(_phone_e164_from_digits(
        _phone_digits(phone_expr), _phone_has_plus(phone_expr),
        calling_code_expr, trunk_prefix_expr, international_prefix_expr, nsn_lengths_expr)) }}
{%- endmacro %}

{% macro spark__normalize_phone_e164(phone_expr, calling_code_expr, trunk_prefix_expr, international_prefix_expr, nsn_lengths_expr) -%}
    {%- set body = _phone_e164_from_digits(
        "phone_parts.d", "phone_parts.p",
        calling_code_expr, trunk_prefix_expr, international_prefix_expr, nsn_lengths_expr) -%}
    {{ return("element_at(transform(array(named_struct('d', " ~ _phone_digits(phone_expr) ~ ", 'p', "
        ~ _phone_has_plus(phone_expr) ~ ")), phone_parts -> " ~ body ~ "), 1)") }}
{%- endmacro %}

{#- The same, with the arguments taken from a joined ref_countries relation:
        left join ref('ref_countries') as rc
            on rc.country_code = upper(normalize_country('c.country_code'))
        ... normalize_phone_e164_ref('c.mobile_phone', 'rc') -#}
{% macro normalize_phone_e164_ref(phone_expr, country_ref_alias) -%}
    {{ return(normalize_phone_e164(
        phone_expr,
        country_ref_alias ~ ".calling_code",
        country_ref_alias ~ ".trunk_prefix",
        country_ref_alias ~ ".international_prefix",
        country_ref_alias ~ ".phone_nsn_lengths")) }}
{%- endmacro %}

{#- Text: the digits of the number, extension and '(0)' removed. -#}
{% macro _phone_digits(phone_expr) -%}
    {{ return(regexp_replace_all(phone_expr, "([eE][xX][tT]|[xX#;,]).*$|[(]0[)]|[^0-9]", "")) }}
{%- endmacro %}

{#- Boolean: a '+' comes before the first digit. -#}
{% macro _phone_has_plus(phone_expr) -%}
    {{ return(regexp_contains(phone_expr, "^[^0-9]*[+]")) }}
{%- endmacro %}

{#- The E.164 expression over the digit string `d` and the has-plus flag `p`. Every WHEN is
    one complete reading of the number with a fixed offset, so that `d` is referenced a
    bounded number of times (no nested CASE over `d`). -#}
{% macro _phone_e164_from_digits(d, p, calling_code_expr, trunk_prefix_expr, international_prefix_expr, nsn_lengths_expr) -%}
    {%- set cc = "coalesce(" ~ calling_code_expr ~ ", '')" -%}
    {%- set tp = "coalesce(" ~ trunk_prefix_expr ~ ", '')" -%}
    {%- set idd = "coalesce(nullif(" ~ international_prefix_expr ~ ", ''), '00')" -%}
    {%- if nsn_lengths_expr is none or (nsn_lengths_expr | lower | trim) == "null" -%}
        {%- set lengths = "'6,7,8,9,10,11,12,13,14'" -%}
    {%- else -%}
        {%- set lengths = "coalesce(" ~ nsn_lengths_expr ~ ", '6,7,8,9,10,11,12,13,14')" -%}
    {%- endif -%}
    {%- set n = "length(" ~ d ~ ")" -%}
    {#- offsets of the calling code for the three international forms -#}
    {%- set forms = [
        (p, "0"),
        ("substr(" ~ d ~ ", 1, length(" ~ idd ~ ")) = " ~ idd, "length(" ~ idd ~ ")"),
        ("substr(" ~ d ~ ", 1, 2) = '00'", "2"),
    ] -%}
    {%- set sql -%}
case
    {%- for form_test, offset in forms %}
    {%- set at_cc = "(" ~ offset ~ ")" %}
    {%- set after_cc = "(" ~ offset ~ " + length(" ~ cc ~ "))" %}
    when {{ form_test }} then
        case
            when {{ cc }} = '' or substr({{ d }}, {{ at_cc }} + 1, length({{ cc }})) <> {{ cc }} then
                case
                    when {{ n }} - {{ at_cc }} between 8 and 15
                        and {{ _phone_starts_with_calling_code("substr(" ~ d ~ ", " ~ at_cc ~ " + 1)") }}
                        then '+' || substr({{ d }}, {{ at_cc }} + 1)
                end
            when {{ _phone_has_trunk(d, after_cc, tp, lengths) }}
                and length({{ cc }}) + {{ n }} - {{ after_cc }} - length({{ tp }}) <= 15
                then '+' || {{ cc }} || substr({{ d }}, {{ after_cc }} + length({{ tp }}) + 1)
            when {{ _phone_length_ok(n ~ " - " ~ after_cc, lengths) }}
                and length({{ cc }}) + {{ n }} - {{ after_cc }} <= 15
                then '+' || {{ cc }} || substr({{ d }}, {{ after_cc }} + 1)
        end
    {%- endfor %}
    when {{ cc }} = '' then null
    when substr({{ d }}, 1, length({{ cc }})) = {{ cc }}
        and not {{ _phone_length_ok(n, lengths) }}
        and {{ _phone_length_ok(n ~ " - length(" ~ cc ~ ")", lengths) }}
        and {{ n }} <= 15
        then '+' || {{ d }}
    when {{ _phone_has_trunk(d, "0", tp, lengths) }}
        and length({{ cc }}) + {{ n }} - length({{ tp }}) <= 15
        then '+' || {{ cc }} || substr({{ d }}, length({{ tp }}) + 1)
    when {{ _phone_length_ok(n, lengths) }}
        and length({{ cc }}) + {{ n }} <= 15
        then '+' || {{ cc }} || {{ d }}
end
    {%- endset -%}
    {{ return(sql) }}
{%- endmacro %}

{#- Boolean: a national significant number of `length_sql` digits is possible, given the
    comma-separated list of possible lengths `lengths_sql` (never NULL). -#}
{% macro _phone_length_ok(length_sql, lengths_sql) -%}
    {%- set needle = "(',' || cast(" ~ length_sql ~ " as " ~ dbt.type_string() ~ ") || ',')" -%}
    {{ return("(" ~ dbt.position(needle, "(',' || " ~ lengths_sql ~ " || ',')") ~ " > 0)") }}
{%- endmacro %}

{#- Boolean: at digit offset `offset_sql` of `digits_sql` stands the trunk prefix, and dropping
    it is right: the rest has a possible length, and either the prefix starts with 0
    (national numbers of such countries never do) or the number with the prefix kept has no
    possible length (Russia's 8, NANP's 1). -#}
{% macro _phone_has_trunk(digits_sql, offset_sql, trunk_prefix_sql, lengths_sql) -%}
    {%- set rest = "length(" ~ digits_sql ~ ") - " ~ offset_sql -%}
    {{ return("(" ~ trunk_prefix_sql ~ " <> ''"
        ~ " and substr(" ~ digits_sql ~ ", " ~ offset_sql ~ " + 1, length(" ~ trunk_prefix_sql ~ ")) = "
        ~ trunk_prefix_sql
        ~ " and " ~ _phone_length_ok(rest ~ " - length(" ~ trunk_prefix_sql ~ ")", lengths_sql)
        ~ " and (substr(" ~ trunk_prefix_sql ~ ", 1, 1) = '0' or not "
        ~ _phone_length_ok(rest, lengths_sql) ~ "))") }}
{%- endmacro %}

{#- Boolean: the digit string starts with a country calling code in service. -#}
{% macro _phone_starts_with_calling_code(digits_sql) -%}
    {%- set codes = identity_calling_codes() -%}
    {%- set tests = [] -%}
    {%- for width in [1, 2, 3] -%}
        {%- set ns = namespace(items=[]) -%}
        {%- for code in codes if code | length == width -%}
            {%- set ns.items = ns.items + [code] -%}
        {%- endfor -%}
        {%- do tests.append("substr(" ~ digits_sql ~ ", 1, " ~ width ~ ") in ('" ~ ns.items | join("', '") ~ "')") -%}
    {%- endfor -%}
    {{ return("(" ~ tests | join(" or ") ~ ")") }}
{%- endmacro %}
