"""Text forms of values: money, CSV fields and rows, ASCII folding of names."""
from __future__ import annotations

import unicodedata


def money(cents: int) -> str:
    """Integer cents -> decimal text ("1234.50", "-0.05")."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


WHITESPACE = (" ", "\t", "\u00a0")


def esc(value: str, delim: str) -> str:
    """Quote a field when needed: delimiter, quote, tab or surrounding whitespace."""
    if value and (delim in value or '"' in value or "\t" in value
                  or value[0] in WHITESPACE or value[-1] in WHITESPACE):
        return '"' + value.replace('"', '""') + '"'
    return value


def join_row(values, delim: str) -> str:
    return delim.join([esc(v, delim) for v in values])


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
