"""End to end: dbt builds the landing, base, staging and audit layers on real files.

* The hostile fixture (tests/fixtures/hostile, as_of 2026-11-01) is built once per module; the
  tests then check the accounting against an independent count of the files (Python's csv
  module), the quarantine against expected_rejects.csv, and the merge semantics the fixture
  was written to exercise.
* A copy of the fixture plus one unreadable file (invalid UTF-8, empty, no header) must fail
  the build with a message naming the file.
* If scripts/generate_sample.py exists, a small generated sample is built and its quarantine
  compared with the generator's own expected_rejects.csv.

The builds select the foundation only (landing -> base -> staging -> audit, their seeds, unit
tests and data tests), so work in progress in the layers above cannot break these tests.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
GENERATOR = ROOT / "scripts" / "generate_sample.py"
AS_OF = "2026-11-01"

# The foundation and everything it needs; tests whose parents are all selected come along.
BUILD = ["build", "--select", "+path:models/staging", "+rejected_rows", "+ingestion_audit",
         "--indirect-selection", "cautious"]

FILE_RE = re.compile(
    r"^(?:(?P<source>.+)_)?(?P<entity>transactionitem|transaction|campaign|dispatch|message|event"
    r"|customer|organization)_(?P<ts>[0-9]{14})\.csv$", re.IGNORECASE)


# --- helpers -------------------------------------------------------------------------------

def count_data_rows(landing: Path, as_of: str = AS_OF) -> dict[tuple[str, str], int]:
    """(entity, file) -> data rows, counted with the csv module, independently of the loader.

    Delimiter: the most frequent of comma, tab, pipe in the header line (the feed contract);
    blank lines are not rows; files delivered after as_of are out of scope.
    """
    last = as_of.replace("-", "") + "235959"
    counts = {}
    for path in sorted(landing.iterdir()):
        m = FILE_RE.match(path.name)
        if not m or m.group("ts") > last:
            continue
        with open(path, encoding="utf-8-sig", newline="") as f:
            header = f.readline()
            delim = max([",", "\t", "|"], key=header.count)
            f.seek(0)
            rows = [r for r in csv.reader(f, delimiter=delim) if r]
        counts[(m.group("entity").lower(), path.name)] = len(rows) - 1
    return counts


def read_expected_rejects(path: Path) -> list[tuple[str, str, int, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return [(r["entity"], r["source_file"], int(r["row_number"]), r["reason"])
                for r in csv.DictReader(f)]


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def query_dicts(db: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def build_or_fail(run_dbt, workdir: Path, landing: Path) -> Path:
    proc = run_dbt(BUILD, workdir=workdir, landing=landing)
    if proc.returncode != 0:
        pytest.fail(f"dbt build failed (rc={proc.returncode}):\n{proc.stdout[-6000:]}")
    return workdir / "warehouse.duckdb"


# --- the hostile fixture -------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_db(run_dbt, tmp_path_factory) -> Path:
    return build_or_fail(run_dbt, tmp_path_factory.mktemp("hostile"), HOSTILE / "landing")


def test_every_raw_row_is_accounted_for(hostile_db):
    audit = {(e, f): (read, acc, rej) for e, f, read, acc, rej in query(
        hostile_db, "select entity, source_file, rows_read, rows_accepted, rows_rejected from audit.ingestion_audit")}
    counted = count_data_rows(HOSTILE / "landing")
    # Every file of the folder is in the audit with the number of data lines it has.
    assert {k: v[0] for k, v in audit.items()} == counted
    assert sum(v[0] for v in audit.values()) == sum(counted.values())
    # Per file: read = accepted + rejected.
    assert [k for k, (read, acc, rej) in audit.items() if read != acc + rej] == []
    # The audit's columns agree with the tables they summarize.
    rejected = dict(((e, f), n) for e, f, n in query(
        hostile_db, "select entity, source_file, count(*) from audit.rejected_rows group by all"))
    assert {k: v[2] for k, v in audit.items() if v[2]} == rejected


def test_rejected_rows_equal_expected_rejects(hostile_db):
    actual = query(hostile_db, "select entity, source_file, row_number, reason from audit.rejected_rows")
    expected = read_expected_rejects(HOSTILE / "expected_rejects.csv")
    assert len(actual) == len(set(actual)), "a row is rejected twice"
    assert sorted(actual) == sorted(expected)


def test_no_good_row_is_rejected(hostile_db):
    """Per file, accepted = independently counted rows - expected rejects: every other row made it."""
    counted = count_data_rows(HOSTILE / "landing")
    expected_rejects = Counter((e, f) for e, f, _, _ in read_expected_rejects(HOSTILE / "expected_rejects.csv"))
    accepted = {(e, f): n for e, f, n in query(
        hostile_db, "select entity, source_file, rows_accepted from audit.ingestion_audit")}
    assert accepted == {k: n - expected_rejects[k] for k, n in counted.items()}
    # Spot checks of rows that look odd but are valid.
    customers = {r["customer_id"]: r for r in query_dicts(hostile_db, "select * from staging.stg_cdp__customers")}
    assert customers["C3"]["first_name"] == "Chloé"  # UTF-8 accent
    assert customers["C3"]["email"] == "chloe@example.fr"  # surrounding spaces trimmed
    events = query(hostile_db, "select count(*) from staging.stg_cdp__events "
                               "where customer_id is null and lower(email) = 'alice.smith@example.com'")
    assert events == [(1,)]  # email-only event accepted
    transactions = {r[0] for r in query(hostile_db, "select transaction_id from staging.stg_cdp__transactions")}
    assert transactions == {"T1", "T2", "T3", "T7"}


def test_anonymous_events_are_kept(hostile_db):
    """Web events with only a cookie or only a SessionID are accepted; the one with neither is
    missing_identity (expected_rejects.csv). Their stitching: tests/python/test_web_identity.py."""
    anonymous = query(hostile_db, "select count(*), count(cookie), count(session_id) from staging.stg_cdp__events "
                                  "where customer_id is null and email is null")
    assert anonymous == [(4, 3, 2)]


def test_null_never_erases_and_updates_apply(hostile_db):
    """customer_20261010060000.csv: C1 with FirstName Alicia and an empty Email."""
    c1 = query_dicts(hostile_db, "select * from staging.stg_cdp__customers where customer_id = 'C1'")[0]
    assert c1["email"] == "alice.smith@example.com"
    assert c1["first_name"] == "Alicia"
    assert c1["last_name"] == "Smith"  # column absent from the later file
    assert c1["source_file"] == "customer_20261010060000.csv"
    assert c1["source_row_count"] == 2


def test_campaign_merge(hostile_db):
    campaigns = {r["campaign_id"]: r for r in query_dicts(hostile_db, "select * from staging.stg_cdp__campaigns")}
    assert set(campaigns) == {"CMP1", "CMP2", "CMP5"}
    # crm_campaign_20261015060000.csv renames CMP1 with an empty Description: the name changes,
    # the description survives.
    assert campaigns["CMP1"]["campaign_name"] == "Fall Sale 2026"
    assert campaigns["CMP1"]["campaign_description"] == "Autumn promo"
    assert campaigns["CMP1"]["source_system"] == "crm"
    # CMP2: its only update (crm file, row 2) is malformed and rejected, so nothing of it applies;
    # the first file's DeleteFlag is empty, i.e. never deleted.
    assert campaigns["CMP2"]["campaign_description"] is None
    assert campaigns["CMP2"]["is_deleted"] is False
    assert campaigns["CMP2"]["source_file"] == "campaign_20261001050000.csv"


def test_soft_delete_keeps_the_record(hostile_db):
    """customer_20261010060000.csv: C4 with DeleteFlag Y and empty other fields."""
    c4 = query_dicts(hostile_db, "select * from staging.stg_cdp__customers where customer_id = 'C4'")[0]
    assert c4["is_deleted"] is True
    assert c4["first_name"] == "Dan"
    assert c4["email"] == "dan@example.com"


def test_custom_attributes_kept(hostile_db):
    c1 = query(hostile_db, "select custom_attributes from staging.stg_cdp__customers where customer_id = 'C1'")[0][0]
    assert json.loads(c1) == {"LoyaltyTier": "gold"}
    custom = dict(query(hostile_db, "select campaign_id, custom_attributes from staging.stg_cdp__campaigns"))
    assert json.loads(custom["CMP1"])["Owner"] == "marketing@brand.example"
    assert json.loads(custom["CMP5"]) == {"Owner": "ops"}
    # Row level: the first campaign file's Budget column is kept on its rows.
    budget = query(hostile_db, "select custom_attributes from staging.base_cdp__campaigns "
                               "where source_file = 'campaign_20261001050000.csv' and source_row_number = 1")[0][0]
    assert json.loads(budget) == {"Budget": "5000"}
    devices = query(hostile_db, "select count(*) from staging.stg_cdp__events "
                                "where custom_attributes like '%\"Device\":\"mobile\"%'")
    assert devices == [(5,)]  # the two of C1's checkout session and the three of cookie ck9's visit


def test_custom_attributes_merge_key_by_key(hostile_db):
    custom = dict(query(hostile_db, "select campaign_id, custom_attributes from staging.stg_cdp__campaigns"))
    assert json.loads(custom["CMP1"]) == {"Budget": "5000", "Owner": "marketing@brand.example"}


def test_timestamps_are_utc(hostile_db):
    at = dict(query(hostile_db, "select transaction_id, cast(transaction_at as varchar) "
                                "from staging.stg_cdp__transactions"))
    assert at["T1"] == "2026-10-04 18:00:00"  # 14:00-04:00
    assert at["T3"] == "2026-10-05 10:00:00"  # no offset = UTC
    sent = query(hostile_db, "select cast(event_at as varchar) from staging.stg_cdp__events "
                             "where event_type = 'emailSend'")
    assert sent == [("2026-10-02 09:00:00",)]  # 1790931600000 ms


# --- unreadable files ----------------------------------------------------------------------

UNREADABLE = {
    # name -> bytes
    "invalid_utf8": ("organization_20261020060000.csv",
                     b"SourceOrganizationNumber,Name,Type\nS9,Caf\xe9 Latin-1,store\nS10,Fine,web\n"),
    "empty": ("crm_customer_20261020060000.csv", b""),
    "no_header": ("customer_20261020060000.csv",
                  b"C9,Zoe,Zed,zoe@example.com,,,,,,,US,,F,,,,\nC10,Yan,Yu,yan@example.com,,,,,,,US,,M,,,,\n"),
}


@pytest.fixture(scope="module")
def quarantine_db(run_dbt, tmp_path_factory) -> Path:
    """The hostile folder plus every unreadable file of UNREADABLE, built once."""
    tmp = tmp_path_factory.mktemp("unreadable")
    landing = tmp / "landing"
    shutil.copytree(HOSTILE / "landing", landing)
    for name, content in UNREADABLE.values():
        (landing / name).write_bytes(content)
    return build_or_fail(run_dbt, tmp / "dbt", landing)


@pytest.mark.parametrize("case,reason", [("invalid_utf8", "invalid_encoding"), ("empty", "no_header"),
                                         ("no_header", "no_header")])
def test_unreadable_file_is_quarantined_and_the_rest_builds(case, reason, quarantine_db, hostile_db):
    name = UNREADABLE[case][0]
    status = query(quarantine_db, "select file_status, quarantine_reason, rows_read from audit.ingestion_audit "
                                  f"where source_file = '{name}'")
    assert status == [("quarantined", reason, 0)]
    # every other file is built as without it
    others = "select entity, source_file, row_number, reason from audit.rejected_rows"
    assert sorted(query(quarantine_db, others)) == sorted(query(hostile_db, others))
    marts = "select count(*) from staging.stg_cdp__events"
    assert query(quarantine_db, marts) == query(hostile_db, marts) != [(0,)]


# --- generated sample ----------------------------------------------------------------------

@pytest.mark.skipif(not GENERATOR.exists(), reason="scripts/generate_sample.py not written yet")
def test_generated_sample_rejects_match_generator(run_dbt, tmp_path):
    landing = tmp_path / "sample" / "landing"
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(landing), "--as-of", AS_OF,
                    "--customers", "300", "--days", "10", "--seed", "7"], check=True, cwd=ROOT)
    db = build_or_fail(run_dbt, tmp_path / "dbt", landing)
    actual = query(db, "select entity, source_file, row_number, reason from audit.rejected_rows")
    expected = read_expected_rejects(landing.parent / "expected_rejects.csv")
    assert expected, "the generator injected no bad rows"
    assert sorted(actual) == sorted(expected)
    audit = {(e, f): read for e, f, read in query(
        db, "select entity, source_file, rows_read from audit.ingestion_audit")}
    assert audit == count_data_rows(landing)
