"""What was sent stays true: a backfill after a later day, and a re-run of that day.

Like an operator would: `dbt build` + `scripts/write_exports.py --as-of` for day D (the first
run), then a backfill of D-3..D-1 (each `dbt build` + writer: the warehouse is rebuilt as of
that day), then D again. Checks:

* D's files are byte-identical after the backfill and the re-run, and the ledger still holds
  every row D recorded (nothing un-recorded);
* the backfill writes no file at all (every platform already has the later D: Braze /
  Klaviyo would go back to an older snapshot, event platforms would get conversions judged
  by an older day's consent) and records nothing; export_audit says `behind`;
* the ledger equals the files on disk (`ledger_vs_files`, also used by test_exports_daily):
  per platform and as_of the keys of the file are the ledger's rows of that as_of, and every
  file is recorded in export_files with its SHA-256.

Five builds of a small generated sample: about 3 to 4 minutes on 2 shared cores.
"""
from __future__ import annotations

import collections
import csv
import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, operator_day

sys.path.insert(0, str(ROOT / "scripts"))

import write_exports  # noqa: E402

D = dt.date(2026, 11, 1)
BACKFILL = [D - dt.timedelta(days=n) for n in (3, 2, 1)]
READY_VARS = {"export_the_trade_desk_tracking_tag_id": "tt-abc",
              "export_tiktok_event_source_id": "C1ABC"}
# The file field that carries each platform's ledger key (Criteo: the order of the line).
KEY_FIELD = {"meta": "event_id", "the_trade_desk": "OrderId", "tiktok": "event_id",
             "pinterest": "order_id", "snapchat": "transaction_id", "criteo": "event_id",
             "google_enhanced_conversions": "order_id", "braze": "external_id",
             "klaviyo": "external_id", "braze_user_delete": "external_id",
             "klaviyo_subscriptions": "email", "klaviyo_data_privacy_deletion": "email"}
# Files whose key field is the email: the ledger key (the customer id) is found through the
# export table (column holding the customer id).
EMAIL_KEYED = {"klaviyo_subscriptions": "external_id", "klaviyo_data_privacy_deletion": "cdp_customer_id"}


def export_files_on_disk(db: Path, out: Path) -> list[tuple[str, Path]]:
    """(platform, path) of every export file in `out`, folders as export_layout names them
    (braze/user_delete, ...; the platform's name when the layout has no folder column)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = {r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_name = 'export_layout'").fetchall()}
        folder = "output_folder" if "output_folder" in columns else "platform"
        folders = dict(con.execute(f"select distinct {folder}, platform from exports.export_layout").fetchall())
    finally:
        con.close()
    found = []
    for path in sorted(out.rglob("*.*")):
        if path.is_file() and not path.name.startswith("."):
            rel = str(path.parent.relative_to(out))
            found.append((folders.get(rel, rel), path))
    return found


def _rows(path: Path) -> list[dict]:
    if path.suffix == ".csv":
        with open(path, newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _file_key(value: str) -> str:
    """A key as the ledger holds it: without the writer's formula guard (a leading ')."""
    if value.startswith("'") and value[1:2] in write_exports.FORMULA_STARTS:
        return value[1:]
    return value


def ledger_vs_files(db: Path, out: Path) -> list[str]:
    """Differences between the ledger (and export_files) and the files in `out`; [] = equal.

    Per platform and as_of: the multiset of keys in the file(s) equals the ledger rows of that
    as_of, each counted file_rows times (The Trade Desk: one row per identifier; Criteo: its
    lines, mapped to their orders through marts.fct_transaction_items - by row count only when
    the warehouse, rebuilt as of an older day, lacks them). Every file on disk is in export_files with its bytes'
    SHA-256 and row count, and every export_files row is on disk."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        ledger = con.execute(
            "select platform, event_id, cast(first_sent_as_of as varchar), file_rows"
            " from exports.export_ledger").fetchall()
        item_orders = dict(con.execute(
            "select transaction_item_id, transaction_id from marts.fct_transaction_items").fetchall())
        recorded = {(r[0], r[1]): (r[2], r[3]) for r in con.execute(
            "select platform, file_name, row_count, content_sha256 from exports.export_files").fetchall()}
        email_keys = {}
        for platform, id_column in EMAIL_KEYED.items():
            exists = con.execute("select count(*) from information_schema.tables where table_schema = 'exports'"
                                 " and table_name = ?", [f"export_{platform}"]).fetchone()[0]
            if exists:
                email_keys[platform] = dict(con.execute(
                    f"select email, {id_column} from exports.export_{platform}").fetchall())
    finally:
        con.close()
    expected: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    unmapped = set()  # Criteo as_of whose lines the warehouse (rebuilt as of another day) lacks
    for platform, event_id, as_of, file_rows in ledger:
        key = item_orders.get(event_id, f"?{event_id}") if platform == "criteo" else event_id
        if key.startswith("?"):
            unmapped.add((platform, as_of))
        if platform == "the_trade_desk" and len(key) > 64:
            key = hashlib.sha256(key.encode()).hexdigest()
        expected[(platform, as_of)][key] += file_rows
    found: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    problems = []
    on_disk = set()
    for platform, path in export_files_on_disk(db, out):
        name = path.name
        on_disk.add((platform, name))
        rows = _rows(path)
        record = recorded.get((platform, name))
        if record is None:
            problems.append(f"{platform}/{name}: on disk, not in export_files")
        elif record != (len(rows), hashlib.sha256(path.read_bytes()).hexdigest()):
            problems.append(f"{platform}/{name}: differs from export_files {record}")
        for row in rows:
            key = _file_key(row[KEY_FIELD[platform]])
            if platform in EMAIL_KEYED:
                key = email_keys.get(platform, {}).get(key)
                if key is None:  # the warehouse (rebuilt as of another day) lacks the row
                    unmapped.add((platform, name[:10]))
                    key = "?" + row[KEY_FIELD[platform]]
            found[(platform, name[:10])][key] += 1
    problems += [f"{p}/{n}: in export_files, not on disk" for p, n in sorted(set(recorded) - on_disk)]
    for key in sorted(set(expected) | set(found)):
        if key in unmapped:  # the lines' orders are unknown here: compare the row count
            if sum(expected[key].values()) != sum(found[key].values()):
                problems.append(f"{key}: ledger has {sum(expected[key].values())} rows, files "
                                f"{sum(found[key].values())}")
            continue
        if expected[key] != found[key]:
            missing = sorted((expected[key] - found[key]).elements())[:3]
            extra = sorted((found[key] - expected[key]).elements())[:3]
            problems.append(f"{key}: ledger has {sum(expected[key].values())} rows, files "
                            f"{sum(found[key].values())}; only in ledger {missing}, only in files {extra}")
    return problems


def _snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.*")) if p.is_file()}


def _ledger(db: Path) -> set[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return set(con.execute("select platform, event_id, first_sent_as_of, attributes_hash, file_rows"
                               " from exports.export_ledger").fetchall())
    finally:
        con.close()


@pytest.fixture(scope="module")
def operated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("exports_backfill")
    landing, out, db = tmp / "landing", tmp / "output", tmp / "warehouse.duckdb"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_sample.py"), "--out", str(landing),
         "--as-of", D.isoformat(), "--customers", "300", "--days", "45", "--seed", "11"],
        check=True, capture_output=True)

    def day(as_of: dt.date) -> str:
        return operator_day(tmp, landing, out, as_of.isoformat(), [], READY_VARS)

    day(D)
    first = {"files": _snapshot(out), "ledger": _ledger(db), "check": ledger_vs_files(db, out)}
    backfill_logs = [day(d) for d in BACKFILL]
    after_backfill = {"files": _snapshot(out), "ledger": _ledger(db), "check": ledger_vs_files(db, out)}
    day(D)
    final = {"files": _snapshot(out), "ledger": _ledger(db), "check": ledger_vs_files(db, out)}
    return db, first, backfill_logs, after_backfill, final


def test_first_run_sends_every_platform_and_ledger_equals_files(operated):
    _, first, _, _, _ = operated
    assert first["check"] == []
    folders = {name.rsplit("/", 1)[0] for name in first["files"]}
    assert folders == {"meta", "the_trade_desk", "tiktok", "pinterest", "snapchat", "criteo",
                       "google_enhanced_conversions", "braze", "klaviyo", "braze/user_delete",
                       "klaviyo/subscriptions", "klaviyo/data_privacy_deletion"}
    assert all(name.rsplit("/", 1)[1].startswith(D.isoformat()) for name in first["files"])
    assert sum(1 for p, *_ in first["ledger"] if p == "meta") > 0


def test_backfill_of_older_days_writes_and_records_nothing(operated):
    db, first, logs, after_backfill, _ = operated
    assert after_backfill["files"] == first["files"]  # no new file, D's untouched
    assert after_backfill["ledger"] == first["ledger"]
    assert after_backfill["check"] == []
    assert all("no file for the older" in log for log in logs)
    con = duckdb.connect(str(db), read_only=True)
    try:
        audit = con.execute(
            "select as_of, platform, file_status, row_count from exports.export_audit"
            " where reason = 'sent' and as_of < ?", [D]).fetchall()
    finally:
        con.close()
    assert {r[0] for r in audit} == set(BACKFILL)
    assert all(r[2] == "behind" and r[3] == 0 for r in audit), audit


def test_rerun_of_the_latest_day_after_a_backfill_changes_nothing(operated):
    _, first, _, _, final = operated
    assert final["files"] == first["files"]  # byte-identical, no other file
    assert final["ledger"] == first["ledger"]  # nothing un-recorded, nothing added
    assert final["check"] == []


def test_no_older_owned_channel_file_after_a_newer_one(operated):
    _, _, _, _, final = operated
    for platform in ("braze", "klaviyo"):
        assert sorted(n for n in final["files"] if n.rsplit("/", 1)[0] == platform) == \
            [f"{platform}/{D}.jsonl"]
