{#- Email address -> normalized text, or NULL when the platform would reject it.

    Steps: trim every whitespace kind; lower-case (Unicode, as Python's str.lower; with
    gmail_rule='uid2' only A-Z, as the UID2 client does); valid only when the result is
    exactly one '@', a non-empty local part and a dotted domain of non-empty labels, with no
    whitespace inside; otherwise NULL.

    gmail_rule:
      false (default) - Meta, TikTok, Pinterest, Snapchat, Criteo, Klaviyo: no rewrite.
      true / 'google' - Google's formatter (google-ads-datamanager-util): at gmail.com AND
                        googlemail.com drop '+tag' and every '.' from the local part; the
                        domain is kept as written (googlemail.com is NOT turned into gmail.com).
      'uid2'          - uid2-client normalize_email_string: the same rewrite at gmail.com only
                        (googlemail.com keeps its dots and '+tag'), ASCII-only lower-case.
    A local part left empty by the rewrite ('+x@gmail.com') gives NULL. -#}
{% macro normalize_email(email_expr, gmail_rule=false) -%}
    {%- set ws = identity_whitespace_chars() -%}
    {%- if gmail_rule == 'uid2' -%}
        {%- set email = "translate(" ~ identity_trim(email_expr)
            ~ ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')" -%}
        {%- set gmail_domains = ["gmail.com"] -%}
    {%- elif gmail_rule == true or gmail_rule == 'google' -%}
        {%- set email = identity_lower(identity_trim(email_expr)) -%}
        {%- set gmail_domains = ["gmail.com", "googlemail.com"] -%}
    {%- elif gmail_rule == false -%}
        {%- set email = identity_lower(identity_trim(email_expr)) -%}
        {%- set gmail_domains = [] -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("normalize_email: gmail_rule must be false, true, 'google' or 'uid2', got " ~ gmail_rule) }}
    {%- endif -%}
    {%- set is_valid = regexp_matches_full(
        email, "[^@" ~ ws ~ "]+@[^@." ~ ws ~ "]+([.][^@." ~ ws ~ "]+)+") -%}
    {%- if gmail_domains -%}
        {%- set local_part = dbt.split_part(email, "'@'", 1) -%}
        {%- set domain = dbt.split_part(email, "'@'", 2) -%}
        {%- set gmail_local_part = regexp_replace_all(local_part, "[+].*$|[.]", "") -%}
        {{ return("case when " ~ is_valid ~ " then case when " ~ domain ~ " in ('"
            ~ gmail_domains | join("', '") ~ "') then nullif(" ~ gmail_local_part ~ ", '') || '@' || "
            ~ domain ~ " else " ~ email ~ " end end") }}
    {%- else -%}
        {{ return("case when " ~ is_valid ~ " then " ~ email ~ " end") }}
    {%- endif -%}
{%- endmacro %}
