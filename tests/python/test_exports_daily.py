"""Send-once behaviour of the platform exports over a simulated month of daily runs.

One generated sample (scripts/generate_sample.py, small) is built once up to the export
inputs (marts, export_prep__conversions, ...) as of the last day. Then the as_of-dependent
part - export_prep__candidates, export_prep__customer_profiles and schema exports - is run for
each of 30 consecutive as_of, each followed by scripts/write_exports.py, like `make run`
does every day. Checks:

* each file holds only its platform's header names / keys;
* no event id (Criteo: product line) is in two files of a platform (next day never re-sends);
* every conversion that was in a platform's window on some day is in exactly one file, and
  for Meta and Criteo that set equals an independent computation from the marts / staging;
* re-running the last as_of - even with --full-refresh - writes byte-identical files;
* the ledger equals the files on disk (test_exports_backfill.ledger_vs_files).

The Trade Desk and TikTok ids are set (vars): without them the platforms are not ready and
get no file (tests/python/test_exports_safe_files.py).

The upstream is built once at the last as_of with the full landing folder, so every day sees
the same final state of customers (consent); the daily runs point the landing hook at an
empty folder (their models do not read the landing files), which keeps the month under
~2 minutes on 2 cores. dbt runs in-process with one parsed manifest (a CLI run would
re-parse the project for every new `as_of` var).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
# The dbt project to run (default: this repository).
PROJECT_DIR = Path(os.environ.get("CLOSED_LOOP_PROJECT_DIR", ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import write_exports  # noqa: E402
from test_exports_backfill import ledger_vs_files  # noqa: E402

LAST_DAY = dt.date(2026, 11, 1)
DAYS = 30
FIRST_DAY = LAST_DAY - dt.timedelta(days=DAYS - 1)
EVENT_PLATFORMS = ["meta", "the_trade_desk", "tiktok", "pinterest", "snapchat", "criteo",
                   "google_enhanced_conversions"]
# The file field that carries each event platform's dedup key.
KEY_FIELD = {"meta": "event_id", "the_trade_desk": "OrderId", "tiktok": "event_id",
             "pinterest": "order_id", "snapchat": "transaction_id", "criteo": None,
             "google_enhanced_conversions": "order_id"}
EXPECTED_HEADERS = {
    "meta": ["event_name", "event_time", "event_id", "action_source", "em", "ph", "fn", "ln",
             "ct", "st", "zp", "country", "external_id", "fbc", "currency", "value", "order_id",
             "contents"],
    "the_trade_desk": ["TimestampUtc", "TrackingTagId", "EventName", "Value", "ValueCurrency",
                       "OrderId", "Country", "Region", "City", "email_hash", "phone_hash"],
    "tiktok": ["event_source", "event_source_id", "event", "event_time", "event_id", "email",
               "phone", "external_id", "ttclid", "value", "currency", "order_id", "shop_id",
               "contents", "content_type"],
    "pinterest": ["email", "event_time", "event_type", "value", "currency", "order_id",
                  "quantity", "event_source"],
    "snapchat": ["hashed_email", "hashed_phone_number", "event_type", "event_conversion_type",
                 "timestamp", "price", "currency", "number_items", "transaction_id"],
    "criteo": ["user_email", "customer_id", "event_id", "event_time", "product_id",
               "product_price", "product_quantity", "store_id", "currency"],
    "google_enhanced_conversions": ["order_id", "conversion_date_time", "conversion_value",
                                    "currency_code", "hashed_email", "hashed_phone_number",
                                    "gclid"],
    "braze": ["external_id", "email", "email_subscribe", "phone", "subscription_groups", "first_name", "last_name", "home_city",
              "country", "last_order_at", "lifetime_revenue", "orders_last_30d",
              "revenue_last_30d", "days_since_last_order", "last_campaign_engaged",
              "last_event_type"],
    "klaviyo": ["email", "phone_number", "first_name", "last_name", "external_id", "location",
                "properties"],
}
# The ids a brand sets for The Trade Desk and TikTok (an empty one: no file for the platform).
PLATFORM_IDS = {"export_the_trade_desk_tracking_tag_id": "tt-abc", "export_tiktok_event_source_id": "C1ABC"}
# What depends on as_of (export_audit is left out of the daily loop: nothing here reads it).
EXPORT_CHAIN = ["export_prep__candidates", "export_prep__customer_profiles", "export_prep__customer_deletions",
                "int_customers__subscription_signals", "dim_customer_subscriptions", "config.schema:exports",
                "--exclude", "export_audit"]


def _day(d: dt.date) -> str:
    return d.isoformat()


class Warehouse:
    """A DuckDB warehouse built in-process with dbtRunner from one parsed manifest."""

    def __init__(self, tmp: Path):
        from dbt.cli.main import dbtRunner

        self.tmp = tmp
        self.db = tmp / "sim.duckdb"
        self.landing = tmp / "landing"
        os.environ.update({
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "DBT_TARGET_PATH": str(tmp / "target"),
            "DBT_LOG_PATH": str(tmp / "logs"),
            "CLOSED_LOOP_DB": str(self.db),
            "CLOSED_LOOP_LANDING": str(self.landing),
            "CLOSED_LOOP_TARGET": "duckdb",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        })
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "generate_sample.py"), "--out", str(self.landing),
             "--as-of", _day(LAST_DAY), "--customers", "300", "--days", "45", "--seed", "11"],
            check=True, capture_output=True)
        parsed = dbtRunner().invoke(
            ["parse", "--project-dir", str(PROJECT_DIR), "--quiet", "--vars",
             json.dumps({"as_of": _day(LAST_DAY), **PLATFORM_IDS})])
        assert parsed.success, parsed.exception
        self.runner = dbtRunner(manifest=parsed.result)

    def _args(self, command: str, as_of: dt.date, *extra: str) -> list[str]:
        return [command, "--project-dir", str(PROJECT_DIR), "--quiet", "--no-write-json",
                "--vars", json.dumps({"as_of": _day(as_of), **PLATFORM_IDS}), *extra]

    def invoke(self, command: str, as_of: dt.date, *extra: str) -> None:
        try:
            result = self.runner.invoke(self._args(command, as_of, *extra))
        finally:
            self._release_db()
        assert result.success, f"dbt {command} {as_of} failed: {result.exception or result.result}"

    @staticmethod
    def _release_db() -> None:
        # dbt-duckdb keeps the database open in-process; the writer opens it read-only.
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager

        env = getattr(DuckDBConnectionManager, "_ENV", None)
        if env is not None:
            env.close()
            DuckDBConnectionManager._ENV = None

    def build_upstream(self) -> None:
        self.invoke("seed", LAST_DAY)
        self.invoke("run", LAST_DAY, "-s", "+export_prep__candidates", "+export_prep__customer_profiles",
                    "+export_prep__customer_deletions", "+dim_customer_subscriptions", "+export_prep__click_ids")

    def run_day(self, as_of: dt.date, out: Path, *extra: str) -> None:
        # The landing folder is unchanged: the hook finds no new file and the base models are
        # not selected anyway.
        self.invoke("run", as_of, "-s", *EXPORT_CHAIN, *extra)
        assert write_exports.main(["--as-of", _day(as_of), "--db", str(self.db), "--out", str(out)]) == 0

    def query(self, sql: str) -> list[tuple]:
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()


def read_file(path: Path) -> tuple[list[str], list[dict]]:
    """Header (CSV) or keys seen (JSON lines) and the rows of an export file."""
    if path.suffix == ".csv":
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            return list(reader.fieldnames or []), rows
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    keys: list[str] = []
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    return keys, rows


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """30 daily runs; returns the warehouse, the output folder and per day the window sets."""
    saved_env = dict(os.environ)
    tmp = tmp_path_factory.mktemp("exports_month")
    wh = Warehouse(tmp)
    try:
        wh.build_upstream()
        out = tmp / "output"
        window_keys: dict[str, set[str]] = {p: set() for p in EVENT_PLATFORMS}
        for n in range(DAYS):
            day = FIRST_DAY + dt.timedelta(days=n)
            wh.run_day(day, out)
            for platform in EVENT_PLATFORMS:
                window_keys[platform].update(
                    r[0] for r in wh.query(f"select export_key from exports.export_{platform}"))
        yield wh, out, window_keys
    finally:
        os.environ.clear()
        os.environ.update(saved_env)


def _keys_in_files(out: Path, platform: str) -> list[str]:
    """The dedup keys of every file of a platform, in file order. The Trade Desk: its
    OrderIds (two rows of one order are one event); Criteo: the lines' content (the file has
    no line id), counted once per file - two identical lines of one order are legitimate."""
    keys = []
    for path in sorted((out / platform).iterdir()):
        _, rows = read_file(path)
        if platform == "criteo":
            keys.extend(sorted({f"{r['event_id']}|{r['product_id']}|{r['product_price']}|{r['product_quantity']}"
                                for r in rows}))
        elif platform == "the_trade_desk":
            keys.extend(sorted({r["OrderId"] for r in rows}))
        else:
            keys.extend(r[KEY_FIELD[platform]] for r in rows)
    return keys


def test_one_file_per_platform_and_day_with_platform_headers_only(month):
    _, out, _ = month
    for platform, headers in EXPECTED_HEADERS.items():
        files = sorted(p.name for p in (out / platform).iterdir() if p.is_file())
        ext = "jsonl" if platform in ("meta", "tiktok", "braze", "klaviyo") else "csv"
        assert files == [f"{FIRST_DAY + dt.timedelta(days=n)}.{ext}" for n in range(DAYS)], platform
        for path in (out / platform).iterdir():
            if not path.is_file():
                continue  # braze/user_delete, klaviyo/subscriptions, ...
            seen, _ = read_file(path)
            if ext == "csv":
                assert seen == headers, (platform, path.name)
            else:
                assert set(seen) <= set(headers), (platform, path.name, set(seen) - set(headers))


def test_no_event_id_is_sent_twice(month):
    _, out, _ = month
    for platform in EVENT_PLATFORMS:
        keys = _keys_in_files(out, platform)
        assert keys, f"{platform}: nothing was sent in a month"
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        assert not duplicates, f"{platform} re-sent {duplicates[:5]}"


def test_every_conversion_of_a_window_is_sent_exactly_once(month):
    wh, out, window_keys = month
    for platform in EVENT_PLATFORMS:
        if platform == "criteo":
            sent = [r[0] for r in wh.query(
                "select event_id from exports.export_ledger where platform = 'criteo'")]
        else:
            sent = _keys_in_files(out, platform)
        assert sorted(sent) == sorted(window_keys[platform]), platform


def test_meta_and_criteo_match_an_independent_count(month):
    """Eligible conversions computed from marts + staging, not from the export models."""
    wh, out, _ = month
    eligible = """
        from marts.fct_transactions as t
        inner join marts.dim_organizations as o on t.organization_id = o.organization_id
        inner join staging.stg_cdp__customers as c on t.customer_id = c.customer_id
        where t.transaction_type = 'purchase' and o.organization_type = 'store'
          and not c.is_deleted and not c.do_not_sell
          and t.transaction_at >= timestamp '{start}' and t.transaction_at < timestamp '{end}'
    """
    first_load_start = FIRST_DAY - dt.timedelta(days=62)
    meta_expected = {r[0] for r in wh.query(
        "select t.transaction_id " + eligible.format(start=first_load_start, end=LAST_DAY)
        + " and (not exists (select 1 from marts.fct_transaction_items as i"
          " where i.transaction_id = t.transaction_id)"
          " or exists (select 1 from marts.fct_transaction_items as i where i.transaction_id ="
          " t.transaction_id and i.quantity > 0 and i.item_type = 'demand'))")}
    meta_purchases = set()
    for path in (out / "meta").iterdir():
        meta_purchases.update(r["event_id"] for r in read_file(path)[1] if r["event_name"] == "Purchase")
    assert meta_purchases == meta_expected

    criteo_expected = {r[0] for r in wh.query(
        "select i.transaction_item_id " + eligible.format(
            start=FIRST_DAY - dt.timedelta(days=1), end=LAST_DAY).replace(
            "from marts.fct_transactions as t",
            "from marts.fct_transactions as t inner join marts.fct_transaction_items as i"
            " on i.transaction_id = t.transaction_id")
        + " and i.quantity > 0 and i.item_type = 'demand'")}
    criteo_sent = {r[0] for r in wh.query(
        "select event_id from exports.export_ledger where platform = 'criteo'")}
    assert criteo_sent == criteo_expected
    assert sum(len(read_file(p)[1]) for p in (out / "criteo").iterdir()) == len(criteo_expected)


def test_ledger_equals_the_files_on_disk(month):
    wh, out, _ = month
    assert ledger_vs_files(wh.db, out) == []


def test_rerun_of_an_as_of_is_byte_identical_even_after_full_refresh(month):
    wh, out, _ = month
    for n, extra in enumerate([(), ("--full-refresh",)]):
        again = wh.tmp / f"output_again_{n}"
        wh.run_day(LAST_DAY, again, *extra)
        for platform in EXPECTED_HEADERS:
            first = next((out / platform).glob(f"{LAST_DAY}.*"))
            second = again / platform / first.name
            assert second.read_bytes() == first.read_bytes(), (platform, extra)


def test_snapshot_platforms_send_only_changed_customers(month):
    wh, out, _ = month
    for platform, key in (("braze", "external_id"), ("klaviyo", "external_id")):
        first_day = len(read_file(out / platform / f"{FIRST_DAY}.jsonl")[1])
        later = [len(read_file(out / platform / f"{FIRST_DAY + dt.timedelta(days=n)}.jsonl")[1])
                 for n in range(1, DAYS)]
        assert first_day > 0 and max(later) < first_day, (platform, first_day, later)
        # a customer is sent again only with a different snapshot
        seen: dict[str, str] = {}
        for n in range(DAYS):
            for row in read_file(out / platform / f"{FIRST_DAY + dt.timedelta(days=n)}.jsonl")[1]:
                snapshot = _snapshot(row)
                assert seen.get(row[key]) != snapshot, (platform, row[key])
                seen[row[key]] = snapshot


def _snapshot(row: dict) -> str:
    """A snapshot row without days_since_last_order (not part of the change detection)."""
    row = dict(row)
    row.pop("days_since_last_order", None)
    if "properties" in row:
        row["properties"] = {k: v for k, v in row["properties"].items() if k != "days_since_last_order"}
    return json.dumps(row, sort_keys=True)
