"""Tests of scripts/generate_sample.py (the deterministic sample-feed generator).

A small world is generated once per module; the tests then check determinism, the file
naming and CSV contract of docs/feed-contract.md, and that expected_rejects.csv lists exactly the rows
an independent re-implementation of the reject rules (docs/architecture.md) rejects.
"""
from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate_sample.py"
AS_OF = "2026-11-01"
SMALL = ["--as-of", AS_OF, "--customers", "300", "--days", "22", "--events", "3000",
         "--transactions", "500", "--bad-rows", "2"]
NAME_RE = re.compile(
    r"^(?:([a-z0-9]+)_)?(campaign|dispatch|message|event|customer|transaction|transactionitem"
    r"|organization)_(\d{14})\.csv$", re.IGNORECASE)
ENTITIES = {"campaign", "dispatch", "message", "event", "customer", "transaction",
            "transactionitem", "organization"}
REASONS = {"malformed_row", "duplicate_row", "missing_required", "missing_identity",
           "invalid_timestamp", "invalid_number", "invalid_boolean", "unknown_currency",
           "invalid_value", "unknown_parent"}


def _load_module():
    spec = importlib.util.spec_from_file_location("generate_sample", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # lets --jobs > 1 pickle its worker function
    spec.loader.exec_module(module)
    return module


gen = _load_module()


def run(out: Path, *extra: str, base=SMALL) -> int:
    return gen.main(["--out", str(out), *base, *extra])


def read_tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix == ".csv"}


def read_rejects(landing: Path) -> list[dict]:
    with open(landing.parent / "expected_rejects.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def parse_file(path: Path) -> tuple[list[str], list[list[str]], str]:
    text = path.read_text(encoding="utf-8")
    first = text.split("\n", 1)[0]
    delim = max([",", "\t", "|"], key=first.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    return rows[0], rows[1:], delim


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    landing = tmp_path_factory.mktemp("a") / "landing"
    assert run(landing, "--jobs", "1") == 0
    return landing


# --------------------------------------------------------------------------------------
# Determinism and the stamp file
# --------------------------------------------------------------------------------------
def test_same_arguments_give_identical_bytes(sample, tmp_path):
    other = tmp_path / "landing"
    assert run(other, "--jobs", "2") == 0  # parallel run, same bytes
    assert read_tree(other) == read_tree(sample)
    for name in ("expected_rejects.csv", "generator_summary.json"):
        assert (other.parent / name).read_bytes() == (sample.parent / name).read_bytes()


def test_different_seed_differs(sample, tmp_path):
    other = tmp_path / "landing"
    assert run(other, "--seed", "8", "--jobs", "1") == 0
    a, b = read_tree(sample), read_tree(other)
    common = set(a) & set(b)
    assert common
    assert sum(a[n] != b[n] for n in common) > len(common) // 2


def test_stamp_makes_second_call_a_noop_and_new_arguments_regenerate(tmp_path):
    landing = tmp_path / "landing"
    assert run(landing, "--jobs", "1") == 0
    stamp = json.loads((landing / ".generator.json").read_text())
    assert stamp["complete"] and stamp["arguments"]["seed"] == 7
    before = {p.name: p.stat().st_mtime_ns for p in landing.iterdir()}
    started = time.monotonic()
    assert run(landing, "--jobs", "1") == 0
    assert time.monotonic() - started < 2
    assert {p.name: p.stat().st_mtime_ns for p in landing.iterdir()} == before
    # Other arguments: the previous files are deleted, a foreign file is kept.
    (landing / "notes.csv").write_text("x\n")
    later = ["--out", str(landing), "--as-of", "2026-11-08", *SMALL[2:], "--jobs", "1"]
    assert gen.main(later) == 0
    names = {p.name for p in landing.iterdir()}
    assert "notes.csv" in names
    # 2026-10-10..10-16 belonged to the old window only
    assert not [n for n in names if n.endswith("20261012060000.csv")]
    assert any(n.endswith("20261108060000.csv") for n in names)


def test_cli_runs_as_a_script(tmp_path):
    landing = tmp_path / "landing"
    cmd = [sys.executable, str(SCRIPT), "--out", str(landing), "--as-of", AS_OF,
           "--customers", "100", "--days", "8", "--events", "400", "--transactions", "60"]
    assert subprocess.run(cmd, capture_output=True, text=True, timeout=60).returncode == 0
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "nothing to do" in again.stdout


def test_only_day_reproduces_the_files_of_that_day(sample, tmp_path):
    full = read_tree(sample)
    day = "2026-10-24"  # a weekly day within the window
    landing = tmp_path / "landing"
    assert run(landing, "--only-day", day, "--jobs", "1") == 0
    written = read_tree(landing)
    expected = {n: b for n, b in full.items() if NAME_RE.match(n).group(3).startswith("20261024")}
    assert written == expected
    assert any(n.startswith("campaign_") for n in written)  # weekly files included
    assert read_rejects(landing) == [r for r in read_rejects(sample) if r["source_file"] in written]
    # The first day holds the full loads.
    landing0 = tmp_path / "first" / "landing"
    assert run(landing0, "--only-day", "2026-10-10", "--jobs", "1") == 0
    assert read_tree(landing0) == {n: b for n, b in full.items() if "_20261010" in n}


def test_only_day_after_as_of_extends_a_full_sample(sample, tmp_path):
    landing = tmp_path / "landing"
    assert run(landing, "--jobs", "1") == 0
    assert run(landing, "--only-day", "2026-11-02", "--jobs", "1") == 0
    names = set(read_tree(landing))
    new = {n for n in names if "20261102" in n}
    assert {NAME_RE.match(n).group(2).lower() for n in new} >= {"event", "transaction",
                                                                "transactionitem", "customer"}
    assert names - new == set(read_tree(sample))
    summary = json.loads((landing.parent / "generator_summary.json").read_text())
    assert set(summary["files"]) == names
    # A stamp made with other arguments is refused.
    assert run(landing, "--only-day", "2026-11-03", "--seed", "9", "--jobs", "1") == 2


# --------------------------------------------------------------------------------------
# File contract
# --------------------------------------------------------------------------------------
def test_file_names_entities_and_layout(sample):
    names = sorted(read_tree(sample))
    assert names
    entities, sources, delims, crlf = set(), set(), set(), 0
    for name in names:
        m = NAME_RE.match(name)
        assert m, name
        entities.add(m.group(2).lower())
        sources.add(m.group(1))
        stamp = dt.datetime.strptime(m.group(3), "%Y%m%d%H%M%S")
        assert dt.date(2026, 10, 10) <= stamp.date() <= dt.date(2026, 11, 1)
        raw = (sample / name).read_bytes()
        crlf += b"\r\n" in raw
        delims.add(parse_file(sample / name)[2])
    assert entities == ENTITIES
    assert None in sources and {"esp", "sms", "web", "pos", "ecom", "crm"} <= sources
    assert delims == {",", "\t", "|"}
    assert 0 < crlf < len(names)
    first_loads = [n for n in names if n.endswith("20261010050000.csv")]
    assert {NAME_RE.match(n).group(2) for n in first_loads} == {
        "organization", "customer", "campaign", "dispatch", "message"}


def test_every_row_parses_with_the_header_width_except_malformed(sample):
    malformed = {(r["source_file"], int(r["row_number"])) for r in read_rejects(sample)
                 if r["reason"] == "malformed_row"}
    assert malformed
    summary = json.loads((sample.parent / "generator_summary.json").read_text())
    for path in sorted(sample.glob("*.csv")):
        header, rows, _ = parse_file(path)
        assert len(set(header)) == len(header)
        assert summary["files"][path.name]["rows"] == len(rows)
        for i, row in enumerate(rows, start=1):
            if (path.name, i) in malformed:
                assert len(row) > len(header), (path.name, i)
            else:
                assert len(row) == len(header), (path.name, i)
            assert not any("\n" in v or "\r" in v for v in row)


def test_expected_rejects_point_to_existing_rows(sample):
    rejects = read_rejects(sample)
    assert set(rejects[0]) == {"entity", "source_file", "row_number", "reason"}
    assert {r["reason"] for r in rejects} == REASONS
    counts = Counter(r["reason"] for r in rejects)
    assert all(n == 2 for n in counts.values()), counts  # --bad-rows 2
    for r in rejects:
        path = sample / r["source_file"]
        assert path.exists()
        assert NAME_RE.match(path.name).group(2).lower() == r["entity"]
        _, rows, _ = parse_file(path)
        assert 1 <= int(r["row_number"]) <= len(rows)


def test_rejects_match_an_independent_check_of_the_rules(sample):
    """Re-implements the reject rules of docs/architecture.md over the generated files and
    compares with the manifest: every injected row has exactly the listed reason and no good
    row is rejected (no orphans either)."""
    assert computed_rejects(sample) == {
        (r["source_file"], int(r["row_number"]), r["reason"]) for r in read_rejects(sample)}


def test_content_covers_the_feed_contract(sample):
    types, variants, channels, txn_forms, currencies = Counter(), set(), set(), set(), set()
    emails, phones, prefs, flags, extra_columns = [], [], [], set(), set()
    for path in sorted(sample.glob("*.csv")):
        header, rows, _ = parse_file(path)
        entity = NAME_RE.match(path.name).group(2)
        col = {c: i for i, c in enumerate(header)}
        for row in rows:
            if len(row) != len(header):
                continue
            if entity == "event":
                types[row[col["Type"]]] += 1
            elif entity == "message":
                variants.add(row[col["Variant"]])
            elif entity == "dispatch":
                channels.add(row[col["Type"]])
            elif entity == "transaction":
                ts = row[col["TransactionTimeStamp"]]
                offset = re.search(r"[+-]\d\d:\d\d$", ts)
                txn_forms.add("Z" if ts.endswith("Z") else "offset" if offset else "none")
                currencies.add(row[col["Currency"]])
            elif entity == "customer":
                emails.append(row[col["Email"]])
                phones.append(row[col["MobilePhone"]])
                prefs.append(row[col["Preferences"]])
                flags.add(row[col["DeleteFlag"]])
                extra_columns.update(set(header) - set(gen.CUSTOMER_COLUMNS))
    expected_types = {"emailSend", "emailOpen", "emailClick", "emailBounce", "emailSubscribe",
                      "emailUnsubscribe", "smsSend", "smsDeliver", "smsSubscribe",
                      "directMailSend", "login", "productBrowsed", "categoryBrowsed",
                      "onsiteSearch", "cartUpdated", "checkout", "storeVisit"}
    assert expected_types <= set(types)
    assert {"holdout", "A", "B"} <= variants
    assert channels >= {"email", "sms", "directMail", "paidSocial"}
    assert txn_forms == {"Z", "offset", "none"}
    assert {"", "USD", "EUR", "GBP", "CAD"} <= currencies
    assert any(e != e.strip() for e in emails) and any(e != e.lower() for e in emails)
    assert any("+" in e for e in emails) and any("googlemail.com" in e.lower() for e in emails)
    assert any(p.startswith("+44") for p in phones) or any(p.startswith("0044") for p in phones)
    assert any("DNS=Y" in p for p in prefs) and "" in prefs
    assert {"Y", "true", "1"} & flags
    assert "LoyaltyTier" in extra_columns


def test_web_file_has_anonymous_visitors(sample):
    """Anonymous web events (Cookie / SessionID only) and what ties a cookie to a customer:
    logins after anonymous events, cookies of two customers, sessions without SessionID,
    landing URLs with UTM parameters, click ids and odd encodings."""
    rejected = {(r["source_file"], int(r["row_number"])) for r in read_rejects(sample)}
    events = []
    for path in sorted(sample.glob("web_event_*.csv")):
        header, rows, _ = parse_file(path)
        events += [dict(zip(header, row), file=path.name) for i, row in enumerate(rows, 1)
                   if (path.name, i) not in rejected]
    events.sort(key=lambda e: int(e["EventTimeStamp"]))
    anonymous = [e for e in events if not e["SourceCustomerNumber"] and not e["Email"]]
    assert 0.01 < len(anonymous) / len(events) < 0.1
    assert all(e["Cookie"] for e in anonymous)
    by_cookie: dict[str, list[dict]] = {}
    for e in events:
        if e["Cookie"]:
            by_cookie.setdefault(e["Cookie"], []).append(e)
    identified_later, later_file, shared = set(), set(), set()
    for cookie, evs in by_cookie.items():
        first = next((e for e in evs if not e["SourceCustomerNumber"] and not e["Email"]), None)
        logins = [e for e in evs if e["Type"] == "login" and e["SourceCustomerNumber"]]
        if first and any(int(e["EventTimeStamp"]) > int(first["EventTimeStamp"]) for e in logins):
            identified_later.add(cookie)
            if logins[-1]["file"] != first["file"]:
                later_file.add(cookie)
        if len({e["SourceCustomerNumber"] for e in logins}) >= 2:
            shared.add(cookie)
    assert identified_later and later_file and shared
    no_session = {}
    for e in anonymous:
        if e["Cookie"] and not e["SessionID"]:
            no_session.setdefault(e["Cookie"], []).append(int(e["EventTimeStamp"]))
    assert any(b - a > 30 * 60_000 for ts in no_session.values() for a, b in zip(ts, ts[1:]))
    urls = [e["URL"] for e in anonymous]
    assert any("utm_medium=email&utm_campaign=CMP" in u and "&utm_content=MSG" in u
               for u in urls)
    assert any("utm_source=google&utm_medium=cpc&gclid=" in e["URL"] for e in events)
    assert any("fbclid=" in e["URL"] or "ttclid=" in e["URL"] for e in events)
    for odd in ("%zz", "UTM_Source=", "??utm_", "#utm_source=", "%C3%A9", "+sale%20"):
        assert any(odd in u for u in urls), odd


# --------------------------------------------------------------------------------------
# Reference implementation of the reject rules
# --------------------------------------------------------------------------------------
REQUIRED = {
    "campaign": ["SourceCampaignNumber", "Name"],
    "dispatch": ["SourceDispatchNumber", "Name", "SourceCampaignNumber"],
    "message": ["SourceMessageNumber", "SourceDispatchNumber", "Name"],
    "event": ["Type", "EventTimeStamp"],
    "customer": ["SourceCustomerNumber"],
    "transaction": ["SourceTransactionNumber", "SourceCustomerNumber",
                    "SourceOrganizationNumber", "TransactionTimeStamp"],
    "transactionitem": ["SourceTransactionItemNumber", "SourceTransactionNumber",
                        "SourceProductNumber"],
    "organization": ["SourceOrganizationNumber", "Name"],
}
TIMESTAMPS = {
    "campaign": ["StartDate", "EndDate", "DateCreated"],
    "dispatch": ["DateCreated", "AttributionStartDate"],
    "message": ["SendDate", "AttributionStartDate", "DateCreated"],
    "customer": ["BirthDate", "DateCreated", "DateModified"],
    "transaction": ["TransactionTimeStamp"],
}
NUMBERS = {
    "dispatch": ["AttributionWindow"], "message": ["Cost", "AttributionWindow"],
    "event": ["Value"], "transaction": ["Total", "Discount", "Tax"],
    "transactionitem": ["Quantity", "SaleRevenue"],
}
BOOLEANS = {"true", "false", "1", "0", "y", "n", "yes", "no"}
CURRENCIES = {"USD", "CAD", "GBP", "EUR"}
VALUES = {"transaction": ("Type", {"Purchase", "Return"}),
          "transactionitem": ("Type", {"Demand", "Canceled", "Returned"}),
          "organization": ("Type", {"store", "web"})}
PARENTS = {"dispatch": ("SourceCampaignNumber", "campaign"),
           "message": ("SourceDispatchNumber", "dispatch"),
           "transactionitem": ("SourceTransactionNumber", "transaction")}


def _is_timestamp(v: str) -> bool:
    try:
        dt.datetime.fromisoformat(v)
        return True
    except ValueError:
        return False


def _is_number(v: str) -> bool:
    return re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", v) is not None


def row_reason(entity: str, header: list[str], row: list[str], seen: set) -> str | None:
    if len(row) > len(header):
        return "malformed_row"
    key = tuple(row)
    if key in seen:
        return "duplicate_row"
    seen.add(key)
    v = {c: row[i].strip() for i, c in enumerate(header)}
    if any(not v.get(c) for c in REQUIRED[entity]):
        return "missing_required"
    # A web event may carry only a Cookie or SessionID (an anonymous visitor).
    if entity == "event" and not any(v.get(c) for c in ("SourceCustomerNumber", "Email",
                                                          "Cookie", "SessionID")):
        return "missing_identity"
    if entity == "event" and not v["EventTimeStamp"].isdigit():
        return "invalid_timestamp"
    if any(v.get(c) and not _is_timestamp(v[c]) for c in TIMESTAMPS.get(entity, [])):
        return "invalid_timestamp"
    if any(v.get(c) and not _is_number(v[c]) for c in NUMBERS.get(entity, [])):
        return "invalid_number"
    if v.get("DeleteFlag") and v["DeleteFlag"].lower() not in BOOLEANS:
        return "invalid_boolean"
    if entity == "transaction" and v.get("Currency") and v["Currency"] not in CURRENCIES:
        return "unknown_currency"
    if entity in VALUES:
        column, allowed = VALUES[entity]
        if v.get(column) and v[column] not in allowed:
            return "invalid_value"
    return None


def computed_rejects(landing: Path) -> set[tuple[str, int, str]]:
    found, accepted_keys, pending = set(), {e: set() for e in ENTITIES}, []
    for path in sorted(landing.glob("*.csv")):
        entity = NAME_RE.match(path.name).group(2).lower()
        header, rows, _ = parse_file(path)
        seen: set = set()
        for i, row in enumerate(rows, start=1):
            reason = row_reason(entity, header, row, seen)
            if reason:
                found.add((path.name, i, reason))
                continue
            values = dict(zip(header, row))
            if entity != "event":
                accepted_keys[entity].add(values[REQUIRED[entity][0]])
            if entity in PARENTS:
                pending.append((path.name, i, entity, values[PARENTS[entity][0]]))
    for name, i, entity, parent in pending:
        if parent not in accepted_keys[PARENTS[entity][1]]:
            found.add((name, i, "unknown_parent"))
    return found
