"""URL query-parameter macros (macros/web/url_query_parameter.sql) checked against urllib.parse.

The macros are compiled by ONE `dbt compile --inline` for the whole module; the compiled SQL
runs on DuckDB (the Python package) over input tables built here.

Reference: urllib.parse.urlsplit(url).query -> parse_qsl(query, keep_blank_values=True), the
first pair whose key.lower() is the parameter's name; an empty value is NULL. The generated
URLs stay where the macro's rule and urllib agree by design. Where they differ, the
hand-written cases state the macro's value:

* a pair without '=' is not a parameter (parse_qsl keeps it as an empty value);
* a value that cannot be decoded (malformed escape, bytes that are not UTF-8, %00) is
  returned exactly as written (unquote leaves a malformed escape but still turns '+' into a
  space, and replaces bad bytes with U+FFFD);
* keys are compared literally (parse_qsl decodes them), and case is ignored for A-Z only.
"""

from __future__ import annotations

import random
import re
from urllib.parse import parse_qsl, quote, urlsplit

import duckdb
import pytest

from conftest import compile_sections

NAMES = ["utm_source", "utm_medium", "utm_campaign", "gclid", "fbclid"]


# --------------------------------------------------------------------------- reference
def reference(url: str, name: str) -> str | None:
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key.lower() == name:
            return value or None
    return None


# --------------------------------------------------------------------------- generated URLs
BASES = ["https://shop.example.com/products/42", "http://example.org", "https://a.example/b/c.html",
         "/landing/summer", "example.com/p;v=1", "https://example.com/search/", ""]
WORDS = ["google", "Facebook", "newsletter", "cpc", "email", "summer_sale", "2026-11", "a.b~c", "x"]
UNICODE = ["é", "ß", "Ünïcödé", "中文", "日本語", "🙂", "€", "Ω", "\u00a0", "ı", "İ", "ſ", "\u2028"]
# literal characters a value may hold (not '&', '#', '%', '+': those are structure or escapes)
SAFE_RAW = "abcXYZ019-_.~!$'()*,;:@/?="
STRUCTURAL = "&=#+%? /\"<>"  # written escaped


def random_char(rnd: random.Random) -> str:
    kind = rnd.randrange(4)
    if kind == 0:
        return chr(rnd.randint(0x80, 0x7FF))
    if kind == 1:
        c = rnd.randint(0x800, 0xFFFF)
        return chr(c) if not 0xD800 <= c <= 0xDFFF else "\ufffd"
    if kind == 2:
        return chr(rnd.randint(0x10000, 0x10FFFF))
    return chr(rnd.randint(1, 0x7F))  # ASCII controls and printables, escaped (never %00)


def escape(rnd: random.Random, text: str) -> str:
    """Percent-encoded text; hex digits upper- or lower-case at random."""
    out = quote(text, safe="")
    if rnd.random() < 0.3:
        out = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), out)
    return out


def random_value(rnd: random.Random) -> str:
    pieces = []
    for _ in range(rnd.randint(0, 4)):
        kind = rnd.randrange(8)
        if kind == 0:
            pieces.append(rnd.choice(WORDS))
        elif kind == 1:
            pieces.append(escape(rnd, rnd.choice(UNICODE)))
        elif kind == 2:
            pieces.append(escape(rnd, "".join(random_char(rnd) for _ in range(rnd.randint(1, 3)))))
        elif kind == 3:
            pieces.append("+")  # a space
        elif kind == 4:
            pieces.append(escape(rnd, rnd.choice(STRUCTURAL)))
        elif kind == 5:
            pieces.append("".join(rnd.choice(SAFE_RAW) for _ in range(rnd.randint(1, 3))))
        elif kind == 6:
            pieces.append("=")
        else:
            pieces.append(rnd.choice(UNICODE))  # a raw (unescaped) non-ASCII character
    return "".join(pieces)


def random_key(rnd: random.Random) -> str:
    if rnd.random() < 0.5:
        name = rnd.choice(NAMES)
        if rnd.random() < 0.3:
            name = "".join(c.upper() if rnd.random() < 0.5 else c for c in name)
        return name
    return rnd.choice(["ref", "id", "page", "utm_sourcex", "xutm_source", "utm_source_platform", "utm-source",
                       "utm_sourc", "Gclid2", "fb", "utm_content", "utm_term", "q"])


def random_pairs(rnd: random.Random, n: int) -> list[str]:
    pairs = []
    for _ in range(n):
        key = random_key(rnd)
        value = "" if rnd.random() < 0.1 else random_value(rnd)
        pairs.append(f"{key}={value}")
        if rnd.random() < 0.15:  # repeated key, another value
            pairs.append(f"{key}={random_value(rnd)}")
    rnd.shuffle(pairs)
    return pairs


def random_url(rnd: random.Random) -> str:
    url = rnd.choice(BASES)
    if rnd.random() < 0.9:
        sep = "&&" if rnd.random() < 0.1 else "&"
        url += "?" + ("&" if rnd.random() < 0.05 else "") + sep.join(random_pairs(rnd, rnd.randint(0, 6)))
        if rnd.random() < 0.05:
            url += "&"
    if rnd.random() < 0.25:
        url += "#" + rnd.choice(["", "top", "?"]) + "&".join(random_pairs(rnd, rnd.randint(1, 3)))
    return url


URLS = [random_url(random.Random(f"url-{i}")) for i in range(3000)]


# --------------------------------------------------------------------------- hand-written cases
# (url, parameter) -> the macro's value. Differences from urllib are marked.
HAND = {
    # malformed escapes / not UTF-8: the value exactly as written (urllib: '+' -> ' ', U+FFFD)
    ("https://x.example/?utm_source=%zz", "utm_source"): "%zz",
    ("https://x.example/?utm_source=ab%", "utm_source"): "ab%",
    ("https://x.example/?utm_source=ab%4", "utm_source"): "ab%4",
    ("https://x.example/?utm_source=%4g", "utm_source"): "%4g",
    ("https://x.example/?utm_source=%%41", "utm_source"): "%%41",
    ("https://x.example/?utm_source=%+1", "utm_source"): "%+1",
    ("https://x.example/?utm_source=a+b%zz", "utm_source"): "a+b%zz",
    ("https://x.example/?utm_source=%C3", "utm_source"): "%C3",
    ("https://x.example/?utm_source=%C3+x", "utm_source"): "%C3+x",
    ("https://x.example/?utm_source=%A9", "utm_source"): "%A9",
    ("https://x.example/?utm_source=%C3%C3%A9", "utm_source"): "%C3%C3%A9",
    ("https://x.example/?utm_source=%C3é", "utm_source"): "%C3é",
    ("https://x.example/?utm_source=%C0%80", "utm_source"): "%C0%80",  # overlong NUL
    ("https://x.example/?utm_source=%E0%80%80", "utm_source"): "%E0%80%80",  # overlong
    ("https://x.example/?utm_source=%ED%A0%80", "utm_source"): "%ED%A0%80",  # surrogate U+D800
    ("https://x.example/?utm_source=%F4%90%80%80", "utm_source"): "%F4%90%80%80",  # above U+10FFFF
    ("https://x.example/?utm_source=%F5%80%80%80", "utm_source"): "%F5%80%80%80",
    ("https://x.example/?utm_source=%FF", "utm_source"): "%FF",
    ("https://x.example/?utm_source=%00", "utm_source"): "%00",  # NUL: PostgreSQL text cannot hold it
    ("https://x.example/?utm_source=%4\n", "utm_source"): "%4\n",
    ("https://x.example/?utm_source=%\nb", "utm_source"): "%\nb",
    # decodable edge cases
    ("https://x.example/?utm_source=%C3%A9t%C3%A9", "utm_source"): "été",
    ("https://x.example/?utm_source=%e2%82%ac", "utm_source"): "€",
    ("https://x.example/?utm_source=%F0%9F%99%82", "utm_source"): "🙂",
    ("https://x.example/?utm_source=%F4%8F%BF%BF", "utm_source"): "\U0010ffff",
    ("https://x.example/?utm_source=%EF%BF%BD", "utm_source"): "\ufffd",
    ("https://x.example/?utm_source=é%C3%A9", "utm_source"): "éé",
    ("https://x.example/?utm_source=caf%C3%A9+%26+bar", "utm_source"): "café & bar",
    ("https://x.example/?utm_source=%2B1+%25", "utm_source"): "+1 %",
    ("https://x.example/?utm_source=%0A%09", "utm_source"): "\n\t",
    ("https://x.example/?utm_source=" + "%C3%A9" * 2000, "utm_source"): "é" * 2000,
    # pairs without '=' are not parameters (urllib: an empty value)
    ("https://x.example/?utm_source&utm_medium=email", "utm_source"): None,
    ("https://x.example/?utm_source&utm_medium=email", "utm_medium"): "email",
    ("https://x.example/?utm_source&utm_source=b", "utm_source"): "b",
    ("https://x.example/?utm_source", "utm_source"): None,
    # query-string structure
    ("https://x.example/??utm_source=a", "utm_source"): None,
    ("https://x.example/?x=1?utm_source=a", "utm_source"): None,
    ("https://x.example/?&&utm_source=a&&", "utm_source"): "a",
    ("https://x.example/?utm_source=a&&utm_source=b", "utm_source"): "a",
    ("https://x.example/?utm_source=&utm_source=b", "utm_source"): None,
    ("https://x.example/?utm_source=", "utm_source"): None,
    ("https://x.example/?utm_source==x", "utm_source"): "=x",
    ("https://x.example/?utm_source=a=b&c", "utm_source"): "a=b",
    ("https://x.example/?UTM_SOURCE=Google", "utm_source"): "Google",
    ("https://x.example/?xutm_source=a&utm_source_platform=b", "utm_source"): None,
    ("https://x.example/?utm%5Fsource=a", "utm_source"): None,  # keys are not decoded (urllib: 'a')
    ("https://x.example/?utm+source=a", "utm_source"): None,
    ("https://x.example/?İutm_source=a", "utm_source"): None,
    ("https://exämple.example/İstanbul/ĞÜ?İ=ı&utm_source=ok", "utm_source"): "ok",
    ("https://x.example/?utm_source=summer sale&utm_medium= email ", "utm_source"): "summer sale",
    ("https://x.example/?utm_source=summer sale&utm_medium= email ", "utm_medium"): " email ",
    ("https://x.example/a b?utm_source=x y", "utm_source"): "x y",
    # fragments are never parsed
    ("https://x.example/#utm_source=x", "utm_source"): None,
    ("#utm_source=x", "utm_source"): None,
    ("https://x.example/?a=1#utm_source=x", "utm_source"): None,
    ("https://x.example/#?utm_source=x", "utm_source"): None,
    ("https://x.example/?utm_source=a#utm_source=b", "utm_source"): "a",
    ("https://x.example/?utm_source=a#b", "utm_source"): "a",
    ("https://x.example/?utm_source=#b", "utm_source"): None,
    ("#", "utm_source"): None,
    ("?#", "utm_source"): None,
    # empty and NULL
    ("", "utm_source"): None,
    ("?", "utm_source"): None,
    ("https://x.example/", "utm_source"): None,
    (None, "utm_source"): None,
    (None, "gclid"): None,
    ("https://x.example/?gclid=EAIaIQobChMI_abc-123&fbclid=IwAR0x", "gclid"): "EAIaIQobChMI_abc-123",
    ("https://x.example/?gclid=EAIaIQobChMI_abc-123&fbclid=IwAR0x", "fbclid"): "IwAR0x",
}
HAND_URLS = list(dict.fromkeys(url for url, _ in HAND))
# the cases where urllib gives another value, by design (see the module docstring); a malformed
# escape without '+' ('%zz', 'ab%4') is left as written by urllib too
HAND_DIFFERS_FROM_URLLIB = {("https://x.example/?utm_source=" + v, "utm_source") for v in [
    "%%41", "%+1", "a+b%zz", "%C3", "%C3+x", "%A9", "%C3%C3%A9", "%C3é", "%C0%80", "%E0%80%80", "%ED%A0%80",
    "%F4%90%80%80", "%F5%80%80%80", "%FF", "%00", "%4\n", "%\nb",  # urlsplit drops the newline
]} | {
    ("https://x.example/?utm_source&utm_source=b", "utm_source"),  # a bare key is a parameter for urllib
    ("https://x.example/?utm%5Fsource=a", "utm_source"),  # urllib decodes keys
}

DECODE = {
    "": "", "a+b": "a b", "a%20b": "a b", "%2b": "+", "100%": "100%", "%C3%A9": "é", "%c3": "%c3",
    "+%zz": "+%zz", "%7E~": "~~", None: None,
}


# --------------------------------------------------------------------------- SQL under test
SECTIONS = {
    "params": "select id, "
              + ", ".join(f"{{{{ url_query_parameter('url', '{n}') }}}} as {n}" for n in NAMES)
              + " from t_url",
    "decode": "select id, {{ url_decode('raw') }} as decoded from t_decode",
}
@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """All sections compiled by a single dbt invocation -> {section: sql}."""
    return compile_sections(SECTIONS, tmp_path_factory.mktemp("url_dbt"))


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    c.execute("create table t_url (id integer, url varchar)")
    c.executemany("insert into t_url values (?, ?)", list(enumerate(URLS + HAND_URLS)))
    c.execute("create table t_decode (id integer, raw varchar)")
    c.executemany("insert into t_decode values (?, ?)", list(enumerate(DECODE)))
    return c


def run(con, compiled, section):
    cur = con.execute(compiled[section])
    cols = [d[0] for d in cur.description]
    return {row[0]: dict(zip(cols, row)) for row in cur.fetchall()}


# --------------------------------------------------------------------------- tests
def test_generated_urls_match_urllib(con, compiled):
    out = run(con, compiled, "params")
    mismatches = []
    seen = {"found": 0, "multibyte": 0, "plus_space": 0, "escaped_structure": 0, "equals_in_value": 0,
            "key_case": 0, "repeated_key": 0, "empty_first": 0, "fragment_pair": 0, "fragment_only": 0, "no_query": 0,
            "raw_non_ascii": 0, "lower_hex": 0}
    for i, url in enumerate(URLS):
        parts = urlsplit(url)
        if not parts.query and "?" not in url.split("#")[0]:
            seen["no_query"] += 1
        for name in NAMES:
            expected = reference(url, name)
            if out[i][name] != expected:
                mismatches.append((url, name, out[i][name], expected))
            raw = [v for k, v in (p.split("=", 1) for p in parts.query.split("&") if p) if k.lower() == name]
            in_fragment = bool(re.search(r"(^|[&?])" + name + "=", parts.fragment, re.I))
            seen["fragment_pair"] += in_fragment
            if not raw:
                seen["fragment_only"] += in_fragment
                continue
            seen["found"] += expected is not None
            seen["repeated_key"] += len(raw) > 1
            seen["empty_first"] += raw[0] == "" and any(raw[1:])
            seen["key_case"] += bool(re.search(r"(^|&)" + name + "=", parts.query, re.I)) \
                and not re.search(r"(^|&)" + name + "=", parts.query)
            value = raw[0]
            seen["multibyte"] += bool(re.search(r"%[C-Fc-f][0-9A-Fa-f]", value))
            seen["lower_hex"] += bool(re.search(r"%[0-9a-f]?[a-f]", value))
            seen["plus_space"] += "+" in value
            seen["escaped_structure"] += bool(re.search(r"%(26|3D|23|2B|25|3d|2b)", value))
            seen["equals_in_value"] += "=" in value
            seen["raw_non_ascii"] += bool(re.search(r"[^\x00-\x7f]", value))
    assert not mismatches, mismatches[:10]
    # the generator really produced the interesting inputs
    assert all(n >= 150 for n in seen.values()), seen


def test_hand_written_cases(con, compiled):
    out = run(con, compiled, "params")
    offset = len(URLS)
    wrong = {}
    for (url, name), expected in HAND.items():
        got = out[offset + HAND_URLS.index(url)][name]
        if got != expected:
            wrong[(url[:80] if url else url, name)] = (got, expected)
    assert not wrong


def test_hand_written_differences_from_urllib_are_real():
    """The cases listed as differences differ from urllib; all the others agree with it."""
    differs = {(url, name) for (url, name), expected in HAND.items()
               if url is not None and reference(url, name) != expected}
    assert differs == HAND_DIFFERS_FROM_URLLIB
    assert len(differs) == 19


def test_url_decode(con, compiled):
    out = run(con, compiled, "decode")
    assert {raw: out[i]["decoded"] for i, raw in enumerate(DECODE)} == DECODE
