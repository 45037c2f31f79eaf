"""Identity normalization + hashing macros checked against the platforms' own Python libraries.

The macros (macros/identity, macros/cross_db/{hashing,regex}.sql) are compiled by ONE
`dbt compile --inline` for the whole module; the compiled SQL runs on DuckDB (the Python
package) over input tables built here. Expected values come from:

* Meta:    facebook_business.adobjects.serverside.normalize.Normalize.normalize_field
* Google:  google.ads.datamanager_util.Formatter (process_email_address / process_phone_number,
           format_given_name)
* UID2:    uid2_client.normalize_and_hash_email / normalize_and_hash_phone
* E.164:   phonenumbers.parse(raw, region) + is_valid_number / is_possible_number
* ISO:     pycountry (countries, US subdivisions)

Where the SQL deliberately differs from a library the case is listed in a GAPS table with the
reason and the value the SQL gives instead, and the test asserts that value: every gap is
explicit, none is hidden. The main ones:

* Whitespace: the SQL trims every whitespace kind Python's str.strip() knows plus zero-width
  space U+200B and BOM U+FEFF (Python keeps those two); the UID2 client only skips leading
  ASCII spaces (it hashes tabs, NBSP, ... as part of the address).
* Email validity: the SQL requires exactly one '@', a non-empty local part and a dotted
  domain without whitespace (the export contract). Meta's SDK regex `.+@.+\\..+` accepts two
  '@' or inner spaces; Google and UID2 accept an undotted domain.
* Phone: the SQL approximates phonenumbers' parse + is_possible_number with digit lengths
  from ref_countries (possible lengths of the national number, trunk prefix, IDD). It does
  not implement number-type patterns (is_valid_number), vanity letters, carrier codes, or
  IDDs other than the country's main one and '00'.
* City / zip / state / country: the SQL follows Meta's documented rules (city letters only,
  US state names -> codes, US zip+4 -> 5 digits, ISO alpha-3 accepted) where the SDK does
  less (keeps apostrophes, does not map state names, cuts every zip at '-').
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import re
import unicodedata
from pathlib import Path

import duckdb
import phonenumbers
import pycountry
import pytest

from conftest import compile_sections
from facebook_business.adobjects.serverside.normalize import Normalize
from google.ads.datamanager_util import Encoding, Formatter
from phonenumbers import PhoneMetadata
from uid2_client import normalize_and_hash_email, normalize_and_hash_phone

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOOGLE = Formatter()


# --------------------------------------------------------------------------- helpers
def sha_hex(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha_b64(text: str | None) -> str | None:
    if text is None:
        return None
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def attempt(fn, *args):
    """The library's result, or None where it rejects the input (raises or returns None)."""
    try:
        return fn(*args)
    except (ValueError, TypeError, AttributeError):
        return None


def meta(field: str, raw: str | None) -> str | None:
    return attempt(Normalize.normalize_field, field, raw)


def meta_plain(field: str, raw: str | None) -> str | None:
    return attempt(Normalize.normalize_field_skip_hashing, field, raw)


# --------------------------------------------------------------------------- inputs
EMAILS = [
    "John.Smith@Example.com",
    "  john.smith@example.com  ",
    "\tjohn@example.com\n",
    "\u00a0john@example.com\u2003",  # no-break space, em space
    "\u3000john@example.com\u202f",  # ideographic space, narrow no-break space
    "\u200bjohn@example.com\ufeff",  # zero-width space, byte-order mark
    "JOHN@EXAMPLE.COM\r\n",
    "John_Smith@gmail.com",  # Meta's documented example
    "JOSÉ@Example.com",
    "josé@example.com",
    "STRAßE@example.de",
    "İSMAİL@example.com.tr",  # Turkish capital dotted I
    "ΟΔΥΣΣΕΑΣ@example.gr",  # Greek capital sigma at the end of a word
    "o'brien@example.ie",
    "用户@例子.广告",
    "Jane.Doe+News@Gmail.com",
    "jane.doe+news@googlemail.com",
    "J.A.N.E@GMAIL.COM",
    "jane+a.b@gmail.com",
    "jane.doe+news@example.com",
    "+tag@gmail.com",
    "...@gmail.com",
    "john@example",
    "john.example.com",
    "john@@example.com",
    "a@b@example.com",
    "john doe@example.com",
    "john@ex ample.com",
    "@example.com",
    "john@",
    "john@.com",
    "john@example..com",
    "",
    "   ",
    None,
]

# (library, raw) -> (reason, what the SQL normalizes to instead; None = NULL)
EMAIL_GAPS = {
    ("meta", "\u200bjohn@example.com\ufeff"): ("U+200B/U+FEFF trimmed by SQL, kept by str.strip()", "john@example.com"),
    ("google", "\u200bjohn@example.com\ufeff"): ("U+200B/U+FEFF trimmed by SQL, kept by str.strip()", "john@example.com"),
    ("google", "john@example"): ("contract requires a dotted domain; Google only needs a non-empty one", None),
    ("uid2", "john@example"): ("contract requires a dotted domain; UID2 only needs a non-empty one", None),
    ("google", "john@.com"): ("empty first domain label: SQL rejects, Google accepts", None),
    ("uid2", "john@.com"): ("empty first domain label: SQL rejects, UID2 accepts", None),
    ("google", "john@example..com"): ("empty domain label: SQL rejects, Google accepts", None),
    ("uid2", "john@example..com"): ("empty domain label: SQL rejects, UID2 accepts", None),
    ("meta", "john@example..com"): ("empty domain label: SQL rejects, Meta's .+@.+\\..+ accepts", None),
    ("meta", "john@@example.com"): ("two '@': SQL rejects, Meta's regex accepts", None),
    ("meta", "a@b@example.com"): ("two '@': SQL rejects, Meta's regex accepts", None),
    ("meta", "john doe@example.com"): ("inner whitespace: SQL (and Google) reject, Meta accepts", None),
    ("meta", "john@ex ample.com"): ("inner whitespace: SQL (and Google) reject, Meta accepts", None),
    ("uid2", "john doe@example.com"): ("inner whitespace: SQL rejects, UID2 hashes it", None),
    ("uid2", "john@ex ample.com"): ("inner whitespace: SQL rejects, UID2 hashes it", None),
}
# UID2 skips only ASCII spaces around the address (leading ones, and trailing ones after the
# domain): every other kind of surrounding whitespace is hashed as part of the address.
for _raw, _normalized in [
    ("\tjohn@example.com\n", "john@example.com"),
    ("\u00a0john@example.com\u2003", "john@example.com"),
    ("\u3000john@example.com\u202f", "john@example.com"),
    ("\u200bjohn@example.com\ufeff", "john@example.com"),
    ("JOHN@EXAMPLE.COM\r\n", "john@example.com"),
]:
    EMAIL_GAPS[("uid2", _raw)] = ("UID2 client hashes non-space whitespace around the address", _normalized)


def _phone_cases():
    """(raw, region) pairs: lib example numbers in several formats plus hand-written ones."""
    cases = []
    regions = ["US", "CA", "GB", "FR", "DE", "AU", "IN", "JP", "BR", "IT", "ES", "MX", "RU", "HU", "NL", "ZA"]
    fmt = phonenumbers.PhoneNumberFormat
    for region in regions:
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
            n = phonenumbers.example_number_for_type(region, kind)
            if n is None:
                continue
            cases.append((phonenumbers.format_number(n, fmt.NATIONAL), region))
            cases.append((phonenumbers.format_number(n, fmt.INTERNATIONAL), region))
            cases.append((phonenumbers.format_number(n, fmt.E164), region))
            cases.append((phonenumbers.format_number(n, fmt.INTERNATIONAL), "US" if region != "US" else "GB"))
            # dialled from the US (011 ...) and from Australia (0011 ...), as written in CRMs
            cases.append((phonenumbers.format_out_of_country_calling_number(n, "US"), "US"))
            cases.append((phonenumbers.format_out_of_country_calling_number(n, "AU"), "AU"))
    cases += [
        # US / CA
        ("(201) 555-0123", "US"), ("201.555.0123", "US"), ("1 201 555 0123", "US"), ("1-201-555-0123", "US"),
        ("+1 (201) 555-0123", "US"), ("201-555-0123 ext. 45", "US"), ("201 555 0123 x45", "US"),
        ("201-555-0123, 201-555-0199", "US"), ("\u00a0(201)\u00a0555-0123\t", "US"),
        ("555-0123", "US"), ("12345", "US"), ("(201) 555-01234", "US"), ("", "US"), ("n/a", "US"),
        ("(416) 555-0199", "CA"), ("+1 201 555 0123", None), ("201 555 0123", None),
        ("1-800-FLOWERS", "US"), ("0044 20 7946 0958", "US"), ("+999 1234 5678", "US"),
        ("+0 201 555 0123", "US"), ("+1 234", "US"), ("+44 20 7946", "GB"), ("+12015550123456789", "US"),
        # GB
        ("020 7946 0958", "GB"), ("+44 (0)20 7946 0958", "GB"), ("+44 020 7946 0958", "GB"),
        ("0044 20 7946 0958", "GB"), ("44 20 7946 0958", "GB"), ("07700 900123", "GB"), ("020 7946 095", "GB"),
        ("(0)20 7946 0958", "GB"), ("020 7946 09581", "GB"),
        # FR
        ("01 23 45 67 89", "FR"), ("06 12 34 56 78", "FR"), ("+33 6 12 34 56 78", "FR"),
        ("+33 (0)6 12 34 56 78", "FR"), ("0033 6 12 34 56 78", "FR"), ("06 12 34 56", "FR"),
        # DE
        ("030 12345678", "DE"), ("+49 30 12345678", "DE"), ("0171 1234567", "DE"), ("+49 (0)171 1234567", "DE"),
        # AU
        ("(02) 9876 5432", "AU"), ("0412 345 678", "AU"), ("+61 412 345 678", "AU"), ("0011 44 20 7946 0958", "AU"),
        # IN
        ("098765 43210", "IN"), ("+91 98765 43210", "IN"), ("9876543210", "IN"), ("+91 98765", "IN"),
        # JP
        ("03-1234-5678", "JP"), ("090-1234-5678", "JP"), ("010 1 201 555 0123", "JP"), ("+81 3-1234-5678", "JP"),
        # BR
        ("(11) 91234-5678", "BR"), ("011 91234 5678", "BR"), ("+55 11 91234-5678", "BR"), ("1234-5678", "BR"),
        # others with trunk prefixes that are not '0', or none
        ("06 1234 5678", "IT"), ("+39 06 1234 5678", "IT"), ("8 (495) 123-45-67", "RU"), ("+7 495 123-45-67", "RU"),
        ("06 1 234 5678", "HU"), ("55 1234 5678", "MX"),
    ]
    # every region with phone metadata: its example fixed-line and mobile numbers as written at home
    for row in _seed("ref_countries.csv"):
        region = row["country_code"]
        if not row["calling_code"]:
            continue
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
            n = phonenumbers.example_number_for_type(region, kind)
            if n is not None:
                cases.append((phonenumbers.format_number(n, fmt.NATIONAL), region))
                cases.append((phonenumbers.format_number(n, fmt.INTERNATIONAL), region))
    return list(dict.fromkeys(cases))


def _seed(name):
    with open(SEEDS / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


PHONES = _phone_cases()

# (raw, region) -> (reason, E.164 the SQL gives instead; None = NULL)
PHONE_GAPS = {
    ("1-800-FLOWERS", "US"): ("vanity letters are not converted to digits", None),
    ("0044 20 7946 0958", "US"): ("'00' is taken as an international prefix in every country; the US one is 011",
                                  "+442079460958"),
    ("201-555-0123, 201-555-0199", "US"): ("two numbers in one field: the SQL keeps the first (',' starts an "
                                           "extension), phonenumbers rejects the run of digits", "+12015550123"),
    ("011 15-2345-6789", "AR"): ("Argentina rewrites national mobile '15' to '9' after the area code "
                                 "(national_prefix_transform_rule): not a length rule", None),
    ("8 0152 45-09-11", "BY"): ("Belarus dials '8 0' before the area code (national prefix for parsing '0|80?'); "
                                "ref_countries keeps the national prefix '8'", "+37580152450911"),
    ("8 029 491-19-11", "BY"): ("see 8 0152 45-09-11", "+37580294911911"),
}


# phonenumbers says "possible length, but no number pattern matches" (is_possible_number true,
# is_valid_number false). The SQL checks lengths only: it keeps a number whose length is
# possible for the country and drops local-only lengths (dialable without an area code).
POSSIBLE_BUT_INVALID = {
    ("555-0123", "US"): None,  # local-only length: needs the area code
    ("+44 20 7946", "GB"): None,  # local-only length
    ("07700 900123", "GB"): "+447700900123",  # Ofcom's drama range: right length, unassigned
    ("020 7946 095", "GB"): "+44207946095",  # a digit short, still a possible GB length
    ("1234-5678", "BR"): "+5512345678",  # no area code; 8 digits is a possible BR length
}


def _phone_truth(raw, region):
    """('valid'|'possible'|'rejected', E.164 or None) according to phonenumbers."""
    try:
        n = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return "rejected", None
    e164 = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_valid_number(n):
        return "valid", e164
    if phonenumbers.is_possible_number(n):
        return "possible", e164
    return "rejected", None


NAMES = [
    "Mary", "  MARY ", "\tJosé\u00a0", "JOSÉ", "Valéry", "정", "Weiß", "STRAẞE", "İSMAİL", "ΟΔΥΣΣΕΑΣ",
    "ΟΔΥΣΣΕΑΣ ΠΑΠΑΔΟΠΟΥΛΟΣ", "Σ", "O'Brien", "Mary-Jane", "Jean Paul", "ǄEMAL", "Nguyễn", "", "   ", None,
]
CITIES = [
    "New York", "  SAN FRANCISCO ", "Winston-Salem", "Saint-Étienne", "Zürich", "京都市", "St. Louis",
    "St. John's", "Coeur d'Alene", "Washington, D.C.", "Apt 5 Springfield", "", None,
]
CITY_GAPS_META = {
    "St. John's": "apostrophe: SQL drops all punctuation (Meta docs), the SDK drops only . - ( ) spaces digits",
    "Coeur d'Alene": "apostrophe: see St. John's",
    "Washington, D.C.": "comma: see St. John's",
}
STATES = [
    ("NY", "US"), ("new york", "US"), ("N.Y.", "us"), ("New-York", "USA"), ("California", "United States"),
    ("district of columbia", "US"), ("Washington DC", "US"), ("Puerto Rico", "PR"), ("ae", "US"),
    ("XX", "US"), ("Ontario", "US"), ("", "US"),
    ("Ontario", "CA"), ("ON", "CA"), ("Île-de-France", "FR"), ("Bayern", "DE"), ("NSW", "AU"),
    ("TX", None), ("Texas", None),
]
ZIPS = [
    ("10001", "US"), ("10001-1234", "US"), ("100011234", "US"), (" 02134 ", "US"), ("2134", "US"),
    ("501", "US"), ("ABCDE", "US"), ("1234567", "US"), ("", "US"), ("00901-2345", "PR"),
    ("SW1A 1AA", "GB"), ("sw1a\u00a01aa", "GB"), ("75008", "FR"), ("M5V 3L9", "CA"), ("1000-001", "PT"),
    ("100-0001", "JP"), ("10001-1234", None),
]
ZIP_GAPS_META = {
    ("100011234", "US"): "9-digit ZIP+4 without '-': SQL cuts to 5, the SDK only splits at '-'",
    ("2134", "US"): "ZIP that lost its leading zero: SQL pads to 02134, the SDK keeps 2134",
    ("501", "US"): "ZIP that lost its leading zeros: SQL pads to 00501",
    ("ABCDE", "US"): "not a US ZIP: SQL gives NULL, the SDK hashes 'abcde'",
    ("1234567", "US"): "not a US ZIP: SQL gives NULL, the SDK hashes it",
    ("1000-001", "PT"): "non-US codes keep their '-' (contract: only US is cut); the SDK cuts every code at '-'",
    ("100-0001", "JP"): "see 1000-001",
}
COUNTRIES = [
    "US", " us ", "U.S.", "gb", "Gb\t", "NA", "GBR", "usa", "UK", "XX", "xk", "United States", "", None,
]
COUNTRY_GAPS_META = {
    "GBR": "ISO alpha-3 is mapped to alpha-2 (accept_alpha3=true); Meta's SDK rejects it",
    "usa": "ISO alpha-3 is mapped to alpha-2 (accept_alpha3=true); Meta's SDK rejects it",
}
EXTERNAL_IDS = ["C-000123", " c-000123\t", "ABC\u00a0", "12345", "", None]
HASH_INPUTS = ["abc", "", "josé", "🙂", "a\tb", "İ", None]
WHITESPACE = [chr(c) for c in range(0x110000) if chr(c).isspace()] + ["\u200b", "\ufeff"]


# --------------------------------------------------------------------------- SQL under test
SECTIONS = {
    "email": """
select id,
    {{ normalize_email('raw') }} as plain,
    {{ sha256_hex(normalize_email('raw')) }} as meta_hash,
    {{ normalize_email('raw', gmail_rule=true) }} as google,
    {{ sha256_hex(normalize_email('raw', gmail_rule='google')) }} as google_hash,
    {{ normalize_email('raw', gmail_rule='uid2') }} as uid2,
    {{ uid2_email_hash('raw') }} as uid2_hash
from t_email
""",
    "phone": """
select id, e164,
    {{ hash_phone('e164', include_plus=false) }} as meta_hash,
    {{ hash_phone('e164') }} as plus_hash,
    {{ uid2_phone_hash('e164') }} as uid2_hash
from (
    select p.id, {{ normalize_phone_e164_ref('p.raw', 'rc') }} as e164
    from t_phone as p
    left join ref_countries as rc on rc.country_code = upper({{ normalize_country('p.country') }})
) as s
""",
    "name": """
select id, {{ normalize_name('raw') }} as name, {{ sha256_hex(normalize_name('raw')) }} as name_hash,
    {{ normalize_name('raw', strip_punctuation=true) }} as name_no_punct
from t_name
""",
    "city": "select id, {{ normalize_city('raw') }} as city from t_city",
    "state": "select id, {{ normalize_state('raw', 'country') }} as state from t_state",
    "zip": "select id, {{ normalize_zip('raw', 'country') }} as zip from t_zip",
    "country": """
select id, {{ normalize_country('raw') }} as country,
    {{ normalize_country('raw', accept_alpha3=false) }} as alpha2_only
from t_country
""",
    "external_id": """
select id, {{ hash_external_id('raw') }} as h, {{ hash_external_id('raw', lowercase=false) }} as h_case
from t_external_id
""",
    "hash": "select id, {{ sha256_hex('raw') }} as hex, {{ sha256_base64('raw') }} as b64 from t_hash",
    "whitespace": """
select id, {{ identity_trim('raw') }} as trimmed, {{ identity_remove_whitespace('raw') }} as removed
from t_whitespace
""",
    "reference": """
select '{{ tojson(identity_country_alpha3_to_alpha2()) }}' as countries,
    '{{ tojson(identity_us_states()) }}' as states,
    '{{ tojson(identity_calling_codes()) }}' as calling_codes
""",
}
@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """All sections compiled by a single dbt invocation -> {section: sql}."""
    return compile_sections(SECTIONS, tmp_path_factory.mktemp("identity_dbt"))


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    c.execute(f"create table ref_countries as select * from read_csv('{SEEDS / 'ref_countries.csv'}', "
              "all_varchar = true, header = true)")
    tables = {
        "email": [(r,) for r in EMAILS], "name": [(r,) for r in NAMES], "city": [(r,) for r in CITIES],
        "country": [(r,) for r in COUNTRIES], "external_id": [(r,) for r in EXTERNAL_IDS],
        "hash": [(r,) for r in HASH_INPUTS], "whitespace": [(f"{w}a{w}b{w}",) for w in WHITESPACE],
        "phone": PHONES, "state": STATES, "zip": ZIPS,
    }
    for name, rows in tables.items():
        extra = ", country varchar" if len(rows[0]) == 2 else ""
        c.execute(f"create table t_{name} (id integer, raw varchar{extra})")
        c.executemany(f"insert into t_{name} values ({', '.join(['?'] * (len(rows[0]) + 1))})",
                      [(i, *row) for i, row in enumerate(rows)])
    return c


def run(con, compiled, section):
    cur = con.execute(compiled[section])
    cols = [d[0] for d in cur.description]
    return {row[0]: dict(zip(cols, row)) for row in cur.fetchall()}


# --------------------------------------------------------------------------- tests
def test_sha256_primitives(con, compiled):
    out = run(con, compiled, "hash")
    for i, raw in enumerate(HASH_INPUTS):
        assert out[i]["hex"] == sha_hex(raw), raw
        assert out[i]["b64"] == sha_b64(raw), raw


def test_every_whitespace_kind_is_trimmed_and_removed(con, compiled):
    out = run(con, compiled, "whitespace")
    bad = [f"U+{ord(w):04X}" for i, w in enumerate(WHITESPACE)
           if out[i]["trimmed"] != f"a{w}b" or out[i]["removed"] != "ab"]
    assert not bad


def _check(sql_value, lib_value, gap, label):
    if gap is not None:
        reason, expected = gap
        assert sql_value == expected, f"{label}: documented gap ({reason}) no longer holds"
        assert sql_value != lib_value, f"{label}: listed as a gap but SQL now agrees with the library"
    else:
        assert sql_value == lib_value, label


def test_email_matches_meta_google_uid2(con, compiled):
    out = run(con, compiled, "email")
    for i, raw in enumerate(EMAILS):
        row = out[i]
        for lib, lib_value, sql_value, to_hash in [
            ("meta", meta("em", raw), row["meta_hash"], sha_hex),
            ("google", attempt(GOOGLE.process_email_address, raw, Encoding.HEX), row["google_hash"], sha_hex),
            ("uid2", attempt(normalize_and_hash_email, raw), row["uid2_hash"], sha_b64),
        ]:
            gap = EMAIL_GAPS.get((lib, raw))
            if gap is not None:
                gap = (gap[0], to_hash(gap[1]))
            _check(sql_value, lib_value, gap, f"{lib} email {raw!r}")
    # the normalized forms, spelled out for the rule differences
    by_raw = {raw: out[i] for i, raw in enumerate(EMAILS)}
    assert by_raw["Jane.Doe+News@Gmail.com"]["google"] == "janedoe@gmail.com"
    assert by_raw["Jane.Doe+News@Gmail.com"]["uid2"] == "janedoe@gmail.com"
    assert by_raw["Jane.Doe+News@Gmail.com"]["plain"] == "jane.doe+news@gmail.com"
    assert by_raw["jane.doe+news@googlemail.com"]["google"] == "janedoe@googlemail.com"
    assert by_raw["jane.doe+news@googlemail.com"]["uid2"] == "jane.doe+news@googlemail.com"
    assert by_raw["jane.doe+news@example.com"]["google"] == "jane.doe+news@example.com"
    assert by_raw["+tag@gmail.com"]["google"] is None and by_raw["+tag@gmail.com"]["plain"] == "+tag@gmail.com"
    assert by_raw["JOSÉ@Example.com"]["plain"] == "josé@example.com"
    assert by_raw["JOSÉ@Example.com"]["uid2"] == "josÉ@example.com"  # UID2 lower-cases A-Z only
    assert by_raw["İSMAİL@example.com.tr"]["plain"] == "i\u0307smai\u0307l@example.com.tr"
    assert by_raw["ΟΔΥΣΣΕΑΣ@example.gr"]["plain"] == "οδυσσεας@example.gr"
    assert by_raw["STRAßE@example.de"]["plain"] == "straße@example.de"


def test_phone_e164_against_phonenumbers(con, compiled):
    out = run(con, compiled, "phone")
    possible = {}
    counts = {"valid": 0, "possible": 0, "rejected": 0}
    for i, (raw, region) in enumerate(PHONES):
        sql = out[i]["e164"]
        status, e164 = _phone_truth(raw, region)
        counts[status] += 1
        label = f"phone {raw!r} ({region}): phonenumbers says {status} {e164}"
        if status == "possible":
            possible[(raw, region)] = sql
            assert sql in (e164, None), label
            continue
        _check(sql, e164, PHONE_GAPS.get((raw, region)), label)
    assert possible == POSSIBLE_BUT_INVALID
    assert counts["valid"] > 1000 and counts["rejected"] >= 12, counts


def test_phone_hashes_match_meta_google_uid2(con, compiled):
    out = run(con, compiled, "phone")
    checked = 0
    for i, (raw, region) in enumerate(PHONES):
        e164 = out[i]["e164"]
        if e164 is None:
            assert out[i]["meta_hash"] is None and out[i]["plus_hash"] is None and out[i]["uid2_hash"] is None
            continue
        checked += 1
        assert re.fullmatch(r"\+[1-9][0-9]{6,14}", e164), e164
        assert out[i]["meta_hash"] == meta("ph", e164), e164
        assert out[i]["meta_hash"] == sha_hex(e164[1:])
        assert out[i]["plus_hash"] == GOOGLE.process_phone_number(e164, Encoding.HEX), e164  # Google, TikTok
        assert out[i]["uid2_hash"] == attempt(normalize_and_hash_phone, e164), e164
    assert checked > 50


def test_name_matches_meta_and_google(con, compiled):
    out = run(con, compiled, "name")
    for i, raw in enumerate(NAMES):
        if raw is not None and raw.strip() == "" and raw != "":
            # gap: Meta's SDK hashes the empty string left after strip(); the SQL gives NULL
            assert meta("fn", raw) == sha_hex("") and out[i]["name_hash"] is None, raw
            continue
        assert out[i]["name_hash"] == meta("fn", raw), f"meta fn {raw!r}"
        assert out[i]["name_hash"] == meta("ln", raw), f"meta ln {raw!r}"
        google = attempt(GOOGLE.format_given_name, raw)
        assert out[i]["name"] == google, f"google given name {raw!r}"
        expected = None
        if google is not None:
            kept = "".join(ch for ch in google if unicodedata.category(ch)[0] in "LM" or ch.isspace())
            expected = kept.strip() or None
        assert out[i]["name_no_punct"] == expected, raw
    by_raw = {raw: out[i]["name"] for i, raw in enumerate(NAMES)}
    assert by_raw["İSMAİL"] == "i\u0307smai\u0307l"  # Python / JavaScript lower-case, not DuckDB's 'ismail'
    assert by_raw["ΟΔΥΣΣΕΑΣ ΠΑΠΑΔΟΠΟΥΛΟΣ"] == "οδυσσεας παπαδοπουλος"  # final sigma
    assert by_raw["Σ"] == "σ"
    assert by_raw["STRAẞE"] == "straße"


def test_city_matches_meta(con, compiled):
    out = run(con, compiled, "city")
    for i, raw in enumerate(CITIES):
        lib = meta_plain("ct", raw) or None
        sql = out[i]["city"]
        if raw in CITY_GAPS_META:
            letters = "".join(ch for ch in raw.lower() if unicodedata.category(ch)[0] in "LM")
            assert sql == letters and sql != lib, (raw, CITY_GAPS_META[raw])
        else:
            assert sql == lib, raw


def _us_state_code(name: str) -> str | None:
    """Independent reference: pycountry's US subdivisions (name or code, letters only)."""
    key = re.sub(r"[^a-z]", "", name.lower())
    for sub in pycountry.subdivisions.get(country_code="US"):
        code = sub.code.split("-")[1].lower()
        if key in (code, re.sub(r"[^a-z]", "", sub.name.lower())):
            return code
    return None


def test_state(con, compiled):
    out = run(con, compiled, "state")
    expected = {
        ("Washington DC", "US"): "dc",  # alias
        ("ae", "US"): "ae",  # USPS military code (Armed Forces Europe), not an ISO subdivision
    }
    for i, (raw, country) in enumerate(STATES):
        sql = out[i]["state"]
        if (raw, country) in expected:
            assert sql == expected[(raw, country)], raw
        elif country and re.sub(r"[^a-z]", "", country.lower()) in ("us", "usa", "unitedstates", "pr"):
            assert sql == _us_state_code(raw), (raw, country)
        else:
            # outside the US: Meta's rule (lower-case, no spaces/punctuation) = the SDK's output
            assert sql == (meta_plain("st", raw) or None), (raw, country)


def test_zip_matches_meta(con, compiled):
    out = run(con, compiled, "zip")
    want = {("100011234", "US"): "10001", ("2134", "US"): "02134", ("501", "US"): "00501",
            ("ABCDE", "US"): None, ("1234567", "US"): None, ("1000-001", "PT"): "1000-001",
            ("100-0001", "JP"): "100-0001", ("10001-1234", None): "10001-1234"}
    for i, (raw, country) in enumerate(ZIPS):
        sql = out[i]["zip"]
        lib = meta_plain("zp", raw) or None
        if (raw, country) in want:
            assert sql == want[(raw, country)], (raw, country, ZIP_GAPS_META.get((raw, country)))
        else:
            assert sql == lib, (raw, country)


def test_country_matches_meta(con, compiled):
    out = run(con, compiled, "country")
    for i, raw in enumerate(COUNTRIES):
        lib = meta_plain("country", raw) or None
        sql = out[i]["country"]
        if raw in COUNTRY_GAPS_META:
            alpha2 = pycountry.countries.get(alpha_3=raw.strip().upper()).alpha_2.lower()
            assert sql == alpha2 and lib is None, (raw, COUNTRY_GAPS_META[raw])
            assert out[i]["alpha2_only"] is None
        else:
            assert sql == lib, raw
            assert out[i]["alpha2_only"] == lib, raw


def test_external_id(con, compiled):
    out = run(con, compiled, "external_id")
    ws = "".join(WHITESPACE)
    for i, raw in enumerate(EXTERNAL_IDS):
        trimmed = raw.strip(ws) if raw is not None else None
        assert out[i]["h"] == (sha_hex(trimmed.lower()) if trimmed else None), raw
        assert out[i]["h_case"] == (sha_hex(trimmed) if trimmed else None), raw


# --------------------------------------------------------------------------- reference data

def test_ref_countries_seed_agrees_with_pycountry_and_phonenumbers():
    rows = _seed("ref_countries.csv")
    assert len(rows) == len(list(pycountry.countries)) == 249
    for r in rows:
        c = pycountry.countries.get(alpha_2=r["country_code"])
        assert c is not None and c.alpha_3 == r["country_code_alpha3"], r
        assert r["country_name"] in (c.name, getattr(c, "common_name", None)), r
        cc = phonenumbers.country_code_for_region(r["country_code"])
        md = PhoneMetadata.metadata_for_region(r["country_code"])
        if not cc or md is None:
            assert r["calling_code"] == r["trunk_prefix"] == r["phone_nsn_lengths"] == "", r
            continue
        assert r["calling_code"] == str(cc), r
        assert r["trunk_prefix"] == (md.national_prefix or ""), r
        main = PhoneMetadata.metadata_for_region(phonenumbers.region_code_for_country_code(cc))
        assert r["phone_nsn_lengths"] == ",".join(map(str, main.general_desc.possible_length)), r
        idd = r["international_prefix"]
        if idd:
            assert re.fullmatch(md.international_prefix, idd), r
    by_code = {r["country_code"]: r for r in rows}
    assert by_code["US"]["trunk_prefix"] == "1" and by_code["GB"]["trunk_prefix"] == "0"
    assert by_code["AU"]["international_prefix"] == "0011" and by_code["US"]["international_prefix"] == "011"


def test_ref_us_states_seed_agrees_with_pycountry():
    rows = _seed("ref_us_states.csv")
    codes = {r["state_code"] for r in rows}
    iso = {s.code.split("-")[1] for s in pycountry.subdivisions.get(country_code="US")}
    assert codes == iso | {"AA", "AE", "AP"}
    assert sum(r["state_type"] == "state" for r in rows) == 50
    for r in rows:
        if r["state_code"] in iso and r["state_code"] != "VI":
            assert r["state_name"] == pycountry.subdivisions.get(code="US-" + r["state_code"]).name


def test_compiled_reference_lists_equal_seeds(con, compiled):
    countries, states, calling_codes = con.execute(compiled["reference"]).fetchone()
    assert json.loads(countries) == {r["country_code_alpha3"]: r["country_code"]
                                     for r in _seed("ref_countries.csv")}
    assert json.loads(states) == {r["state_code"]: r["state_name"] for r in _seed("ref_us_states.csv")}
    assert json.loads(calling_codes) == [str(c) for c in sorted(phonenumbers.supported_calling_codes())]
