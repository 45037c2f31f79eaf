{#- Text building blocks shared by the identity normalizers. Each takes and returns a SQL
    expression. Documented in _identity.yml. -#}

{#- The inside of a regex bracket expression matching every whitespace kind that Python's
    str.strip() removes (tab, LF, VT, FF, CR, the four information separators, space,
    NEL U+0085, no-break space U+00A0, ogham space U+1680, U+2000-U+200A, line/paragraph
    separators U+2028/U+2029, narrow no-break U+202F, math space U+205F, ideographic space
    U+3000) plus two invisible characters that CSV exports carry and Python keeps: zero-width
    space U+200B and the byte-order mark U+FEFF. The characters are emitted literally, so the
    pattern is the same on every engine. -#}
{% macro identity_whitespace_chars() -%}
    {{ return("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u200b\ufeff") }}
{%- endmacro %}

{#- Remove leading and trailing whitespace of every kind (see identity_whitespace_chars). -#}
{% macro identity_trim(expr) -%}
    {%- set ws = identity_whitespace_chars() -%}
    {{ return(regexp_replace_all(expr, "^[" ~ ws ~ "]+|[" ~ ws ~ "]+$", "")) }}
{%- endmacro %}

{#- Remove whitespace of every kind anywhere in the text. -#}
{% macro identity_remove_whitespace(expr) -%}
    {{ return(regexp_replace_all(expr, "[" ~ identity_whitespace_chars() ~ "]", "")) }}
{%- endmacro %}

{#- Unicode lower-case with the two context rules of Python's str.lower() (and JavaScript's
    toLowerCase, and Java's toLowerCase(Locale.ROOT)) that the engines' lower() skips:
    capital I with dot U+0130 becomes 'i' + combining dot U+0307, and a capital sigma that
    ends a word becomes the final sigma U+03C2. Everything else is the engine's lower(). -#}
{% macro identity_lower(expr) -%}
    {%- set letters = regex_letter_chars() -%}
    {%- set dotted_i = "replace(" ~ expr ~ ", '\u0130', 'i\u0307')" -%}
    {%- set final_sigma = regexp_replace_all(
        dotted_i, "([" ~ letters ~ "])\u03a3([^" ~ letters ~ "]|$)", "\\1\u03c2\\2") -%}
    {{ return("lower(" ~ final_sigma ~ ")") }}
{%- endmacro %}

{#- Keep only letters (and combining marks) of any script: drops digits, whitespace and
    punctuation. -#}
{% macro identity_letters_only(expr) -%}
    {{ return(regexp_replace_all(expr, "[^" ~ regex_letter_chars() ~ "]", "")) }}
{%- endmacro %}
