{#- SHA-256 of the UTF-8 bytes of a text expression (NULL in, NULL out). -#}

{#- 64-character lower-case hex digest (the form every paid-media platform takes). -#}
{% macro sha256_hex(expr) -%}
    {{ return(adapter.dispatch('sha256_hex', 'closedloop')(expr)) }}
{%- endmacro %}
{% macro default__sha256_hex(expr) -%}
    {{ return("sha256(" ~ expr ~ ")") }}
{%- endmacro %}
{% macro spark__sha256_hex(expr) -%}
    {{ return("sha2(" ~ expr ~ ", 256)") }}
{%- endmacro %}
{% macro postgres__sha256_hex(expr) -%}
    {{ return("encode(sha256(convert_to(" ~ expr ~ ", 'UTF8')), 'hex')") }}
{%- endmacro %}

{#- Standard Base64 (with '=' padding, 44 characters) of the 32 digest bytes: the UID2
    `email_hash` / `phone_hash` input form. -#}
{% macro sha256_base64(expr) -%}
    {{ return(adapter.dispatch('sha256_base64', 'closedloop')(expr)) }}
{%- endmacro %}
{% macro default__sha256_base64(expr) -%}
    {{ return("to_base64(unhex(sha256(" ~ expr ~ ")))") }}
{%- endmacro %}
{% macro spark__sha256_base64(expr) -%}
    {{ return("base64(unhex(sha2(" ~ expr ~ ", 256)))") }}
{%- endmacro %}
{% macro postgres__sha256_base64(expr) -%}
    {{ return("encode(sha256(convert_to(" ~ expr ~ ", 'UTF8')), 'base64')") }}
{%- endmacro %}
