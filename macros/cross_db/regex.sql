{#- Portable regular expressions.

    Unlike most macros here, `pattern` and `replacement` are NOT SQL expressions: they are
    the raw regular-expression text (a Jinja string), and the macro renders the SQL string
    literal the engine needs (quotes doubled; backslashes doubled on Spark, whose parser
    unescapes string literals). Write patterns in the common subset of RE2 (DuckDB),
    Java (Spark) and PostgreSQL ARE: character classes `[...]`, `[^...]`, `^`, `$`, `|`,
    groups, `*`, `+`, `?`, `{m,n}`. Prefer `[0-9]`, `[.]`, `[+]` over backslash escapes.
    Unicode characters may appear literally (Jinja turns "\u00a0" into the character).
    For "a letter of any script" use `regex_letter_chars()` inside a bracket expression.
    Back-references in `replacement` are written `\1` .. `\9`; the Spark variant turns them
    into `$1` .. `$9`. -#}

{#- The SQL string literal for a raw pattern / replacement text. -#}
{% macro regex_string_literal(text) -%}
    {{ return(adapter.dispatch('regex_string_literal', 'closedloop')(text)) }}
{%- endmacro %}
{% macro default__regex_string_literal(text) -%}
    {{ return("'" ~ (text | replace("'", "''")) ~ "'") }}
{%- endmacro %}
{% macro spark__regex_string_literal(text) -%}
    {{ return("'" ~ (text | replace("\\", "\\\\") | replace("'", "\\'")) ~ "'") }}
{%- endmacro %}

{#- Replace every match of `pattern` in `expr` (NULL in, NULL out). -#}
{% macro regexp_replace_all(expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'closedloop')(expr, pattern, replacement)) }}
{%- endmacro %}
{% macro default__regexp_replace_all(expr, pattern, replacement) -%}
    {{ return("regexp_replace(" ~ expr ~ ", " ~ regex_string_literal(pattern) ~ ", "
        ~ regex_string_literal(replacement) ~ ", 'g')") }}
{%- endmacro %}
{% macro postgres__regexp_replace_all(expr, pattern, replacement) -%}
    {{ return("regexp_replace(" ~ expr ~ ", " ~ regex_string_literal(pattern) ~ ", "
        ~ regex_string_literal(replacement) ~ ", 'g')") }}
{%- endmacro %}
{% macro spark__regexp_replace_all(expr, pattern, replacement) -%}
    {%- set java = namespace(replacement=replacement | replace("$", "\\$")) -%}
    {%- for n in range(1, 10) -%}
        {%- set java.replacement = java.replacement | replace("\\" ~ n, "$" ~ n) -%}
    {%- endfor -%}
    {{ return("regexp_replace(" ~ expr ~ ", " ~ regex_string_literal(pattern) ~ ", "
        ~ regex_string_literal(java.replacement) ~ ")") }}
{%- endmacro %}

{#- Boolean: the WHOLE of `expr` matches `pattern` (NULL in, NULL out). -#}
{% macro regexp_matches_full(expr, pattern) -%}
    {{ return(adapter.dispatch('regexp_matches_full', 'closedloop')(expr, pattern)) }}
{%- endmacro %}
{% macro default__regexp_matches_full(expr, pattern) -%}
    {{ return("regexp_full_match(" ~ expr ~ ", " ~ regex_string_literal(pattern) ~ ")") }}
{%- endmacro %}
{% macro postgres__regexp_matches_full(expr, pattern) -%}
    {{ return("(" ~ expr ~ " ~ " ~ regex_string_literal("^(?:" ~ pattern ~ ")$") ~ ")") }}
{%- endmacro %}
{% macro spark__regexp_matches_full(expr, pattern) -%}
    {{ return("(" ~ expr ~ " rlike " ~ regex_string_literal("^(?:" ~ pattern ~ ")$") ~ ")") }}
{%- endmacro %}

{#- Boolean: `pattern` matches somewhere in `expr` (anchor with ^ / $ as needed). -#}
{% macro regexp_contains(expr, pattern) -%}
    {{ return(adapter.dispatch('regexp_contains', 'closedloop')(expr, pattern)) }}
{%- endmacro %}
{% macro default__regexp_contains(expr, pattern) -%}
    {{ return("regexp_matches(" ~ expr ~ ", " ~ regex_string_literal(pattern) ~ ")") }}
{%- endmacro %}
{% macro postgres__regexp_contains(expr, pattern) -%}
    {{ return("(" ~ expr ~ " ~ " ~ regex_string_literal(pattern) ~ ")") }}
{%- endmacro %}
{% macro spark__regexp_contains(expr, pattern) -%}
    {{ return("(" ~ expr ~ " rlike " ~ regex_string_literal(pattern) ~ ")") }}
{%- endmacro %}

{#- The inside of a bracket expression that matches a letter (or combining mark) of any
    script: use as "[" ~ regex_letter_chars() ~ "]" or "[^" ~ regex_letter_chars() ~ "]".
    RE2 and Java know Unicode properties. PostgreSQL's [:alpha:] follows the database's
    character type (Unicode letters under a UTF-8 locale such as C.UTF-8; ASCII only under
    C / POSIX); it has no class for combining marks, so the combining diacritical blocks are
    listed (U+0300-036F, U+1AB0-1AFF, U+1DC0-1DFF, U+20D0-20FF, U+FE20-FE2F). -#}
{% macro regex_letter_chars() -%}
    {{ return(adapter.dispatch('regex_letter_chars', 'closedloop')()) }}
{%- endmacro %}
{% macro default__regex_letter_chars() -%}
    {{ return("\\p{L}\\p{M}") }}
{%- endmacro %}
{% macro postgres__regex_letter_chars() -%}
    {{ return("[:alpha:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f") }}
{%- endmacro %}
