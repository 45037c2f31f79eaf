{#- First / last name -> trimmed (every whitespace kind), Unicode lower-case; NULL when empty.
    This is what Meta's SDK (Normalize 'fn'/'ln': lower().strip()) and Google's formatter
    (format_given_name / format_family_name: strip().lower()) do; accents are kept ('josé').
    strip_punctuation=true also follows the sentence in Meta's parameter documentation
    ("lowercase only with no punctuation"): only letters, combining marks and spaces are
    kept ("o'brien-smith" -> "obriensmith"); the SDK itself does not do this. -#}
{% macro normalize_name(name_expr, strip_punctuation=false) -%}
    {%- set name = identity_lower(identity_trim(name_expr)) -%}
    {%- if strip_punctuation -%}
        {%- set name = identity_trim(regexp_replace_all(
            name, "[^" ~ regex_letter_chars() ~ identity_whitespace_chars() ~ "]", "")) -%}
    {%- endif -%}
    {{ return("nullif(" ~ name ~ ", '')") }}
{%- endmacro %}
