{#- Identifier hashes per platform rule set. Inputs are already-normalized expressions (the
    output of normalize_*), except hash_external_id and uid2_email_hash, which normalize.
    NULL in, NULL out: a rejected identifier is sent as NULL, never as a hash of garbage.

    | platform                          | email                          | phone                 |
    |-----------------------------------|--------------------------------|-----------------------|
    | Meta, Pinterest, Snapchat         | sha256_hex(normalize_email(x)) | hash_phone(e, false)  |
    | TikTok                            | sha256_hex(normalize_email(x)) | hash_phone(e)         |
    | Google (Enhanced Conversions)     | sha256_hex(normalize_email(x, gmail_rule=true)) | hash_phone(e) |
    | Criteo                            | sha256_hex(normalize_email(x)) | -                     |
    | The Trade Desk (UID2 input form)  | uid2_email_hash(x)             | uid2_phone_hash(e)    |
    where e = normalize_phone_e164(...). -#}

{#- Phone hash, 64-char hex: of '+digits' (TikTok, Google) or, with include_plus=false, of
    the digits without '+' (Meta, Pinterest, Snapchat). -#}
{% macro hash_phone(e164_expr, include_plus=true) -%}
    {%- if include_plus -%}
        {{ return(sha256_hex(e164_expr)) }}
    {%- else -%}
        {{ return(sha256_hex("replace(" ~ e164_expr ~ ", '+', '')")) }}
    {%- endif -%}
{%- endmacro %}

{#- UID2 `email_hash`: Base64 SHA-256 of the UID2-normalized email (gmail.com only rule). -#}
{% macro uid2_email_hash(email_expr) -%}
    {{ return(sha256_base64(normalize_email(email_expr, gmail_rule='uid2'))) }}
{%- endmacro %}

{#- UID2 `phone_hash`: Base64 SHA-256 of '+digits'; NULL unless 10 to 15 digits, the range
    the UID2 client accepts (is_phone_number_normalized). -#}
{% macro uid2_phone_hash(e164_expr) -%}
    {{ return("case when length(" ~ e164_expr ~ ") between 11 and 16 then "
        ~ sha256_base64(e164_expr) ~ " end") }}
{%- endmacro %}

{#- External / customer id (Meta external_id, TikTok external_id, Criteo customer_id):
    cast to text, trimmed of every whitespace kind, lower-cased (lowercase=false keeps the
    case), SHA-256 hex; NULL when empty. -#}
{% macro hash_external_id(id_expr, lowercase=true) -%}
    {%- set text = identity_trim("cast(" ~ id_expr ~ " as " ~ dbt.type_string() ~ ")") -%}
    {%- if lowercase -%}
        {%- set text = identity_lower(text) -%}
    {%- endif -%}
    {{ return(sha256_hex("nullif(" ~ text ~ ", '')")) }}
{%- endmacro %}
