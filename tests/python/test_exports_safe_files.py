"""Export files are safe to open, complete and exact, and the clear-text guard is precise.

One dbt build on the hostile fixture plus planted feed rows (about 25 s):

* order ids, product ids and a store city that start like a spreadsheet formula
  (`=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`, `-42`) reach the CSV files of The Trade Desk,
  Pinterest, Snapchat, Criteo and Google only neutralised (a leading `'`, OWASP "CSV
  Injection"), read back with Python's csv module; numbers stay numbers;
* a fractional quantity (2.5) is carried exactly (Criteo, Pinterest, Snapchat);
* click ids of the buyer's web landings reach the files: a gclid that starts like a formula
  (`=1+2`, `-Cj0...`) only neutralised in Google's CSV, an fbc in Meta's JSON lines; a
  click-id parameter that is no click id (an email, a formula with quotes) is never sent;
* the clear-text guard (tests/dbt/exports/assert_exports_no_clear_text_identifiers.sql) does
  not alarm on a store city equal to a customer's last name, an email delivered already
  SHA-256-hashed, or a product id starting with `@` - the build passes - and it does fail
  when a clear email / phone / name is planted in each paid-media export table;
* a platform whose required id is empty is not ready in export_audit and gets no file, with a
  warning from the writer.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import DBT, ROOT, dbt_env

sys.path.insert(0, str(ROOT / "scripts"))

import write_exports  # noqa: E402

AS_OF = "2026-11-01"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile" / "landing"
READY_VARS = {"export_the_trade_desk_tracking_tag_id": "tt-abc",
              "export_tiktok_event_source_id": "C1ABC"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_PLATFORMS = ["the_trade_desk", "pinterest", "snapchat", "criteo", "google_enhanced_conversions"]
PAID = ["meta", "the_trade_desk", "tiktok", *CSV_PLATFORMS[1:]]

ORDER_HYPERLINK = '=HYPERLINK("http://evil.test/?x","click")'
ORDER_CMD = "+cmd|' /C calc'!A0"
ORDER_NEGATIVE = "-42"
PRODUCT_AT = "@SUM(1+1)*cmd|' /C calc'!A0"
PRODUCT_EQ = "=1+2"
CITY_FORMULA = '=HYPERLINK("http://evil.test")'
PLANTED_EMAIL = "ada.lincoln@example.com"
GCLID_FORMULA = "=1+2"            # a gclid that starts like a formula, before ORDER_HYPERLINK
GCLID_MINUS = "-Cj0KCQjwNEG"      # the latest one before ORDER_CMD and ORDER_NEGATIVE
FBCLID = "IwAR_planted"
FBCLID_AT = dt.datetime(2026, 10, 31, 11, 45, tzinfo=dt.timezone.utc)
PREHASHED_EMAIL = hashlib.sha256(PLANTED_EMAIL.encode()).hexdigest()


def _csv_file(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def planted_landing(folder: Path) -> None:
    shutil.copytree(HOSTILE, folder)
    _csv_file(folder / "planted_organization_20261020060000.csv",
              ["SourceOrganizationNumber", "Name", "Type", "Country", "State", "City", "TimeZone"],
              [["S9", "Lincoln Store", "store", "US", "NE", "Lincoln", "America/Chicago"],
               ["S10", "Formula Store", "store", "US", "CA", CITY_FORMULA, "America/Los_Angeles"]])
    _csv_file(folder / "planted_customer_20261020060000.csv",
              ["SourceCustomerNumber", "FirstName", "LastName", "Email", "MobilePhone", "Address1",
               "City", "State", "ZipCode", "Country", "Preferences", "DateCreated"],
              [["C9", "Ada", "Lincoln", PLANTED_EMAIL, "+1 402 555 0199", "9 Elm St", "Omaha", "NE",
                "68102", "US", "DNS=N", "2026-01-01T00:00:00Z"],
               # the same person delivered by a source that hashes emails itself
               ["C10", "Ada", "L", PREHASHED_EMAIL, "", "", "Omaha", "NE", "68102", "US", "DNS=N",
                "2026-01-01T00:00:00Z"]])
    _csv_file(folder / "planted_transaction_20261031230000.csv",
              ["SourceTransactionNumber", "SourceCustomerNumber", "SourceOrganizationNumber",
               "TransactionTimeStamp", "Type", "Total", "Currency"],
              [[ORDER_HYPERLINK, "C9", "S9", "2026-10-31T12:00:00Z", "Purchase", "25.00", "USD"],
               [ORDER_CMD, "C9", "S9", "2026-10-31T13:00:00Z", "Purchase", "40.00", "USD"],
               [ORDER_NEGATIVE, "C9", "S10", "2026-10-31T14:00:00Z", "Purchase", "7.00", "USD"]])
    _csv_file(folder / "planted_transactionitem_20261031230000.csv",
              ["SourceTransactionItemNumber", "SourceTransactionNumber", "SourceProductNumber",
               "ProductName", "ProductCategory", "Quantity", "SaleRevenue", "Type"],
              [["I90", ORDER_HYPERLINK, PRODUCT_AT, "Fabric", "Apparel", "2.5", "25.00", "Demand"],
               ["I91", ORDER_CMD, PRODUCT_EQ, "Box", "Home", "1", "10.00", "Demand"],
               ["I92", ORDER_CMD, "-P3", "Box", "Home", "3", "30.00", "Demand"],
               ["I93", ORDER_NEGATIVE, "P1", "Sweater", "Apparel", "1", "7.00", "Demand"]])
    # C9's web landings on the purchase day (12:00, 13:00, 14:00): click ids, two of them no
    # click ids at all (a formula with quotes, an email), the latest before the 14:00 purchase
    def ms(hour: int, minute: int) -> str:
        return str(int(dt.datetime(2026, 10, 31, hour, minute, tzinfo=dt.timezone.utc).timestamp() * 1000))
    _csv_file(folder / "planted_web_event_20261031230000.csv",
              ["EventTimeStamp", "Type", "SourceCustomerNumber", "SessionID", "URL"],
              [[ms(11, 0), "productBrowsed", "C9", "ps1", "https://shop.example/?gclid=%3D1%2B2"],
               [ms(11, 45), "productBrowsed", "C9", "ps2", f"https://shop.example/?fbclid={FBCLID}"],
               [ms(12, 30), "productBrowsed", "C9", "ps3", f"https://shop.example/?gclid={GCLID_MINUS}"],
               [ms(13, 30), "productBrowsed", "C9", "ps4",
                "https://shop.example/?gclid=%3DHYPERLINK(%22http://bad-click.test%22)&fbclid=ada.lincoln%40example.com"]])


def dbt(args: list[str], workdir: Path, landing: Path, vars_: dict) -> subprocess.CompletedProcess:
    import json

    cmd = [str(DBT), *args, "--vars", json.dumps({"as_of": AS_OF, **vars_})]
    return subprocess.run(cmd, cwd=ROOT, env=dbt_env(workdir, landing), text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("safe_files")
    landing = tmp / "landing"
    planted_landing(landing)
    proc = dbt(["build"], tmp, landing, READY_VARS)
    db = tmp / "warehouse.duckdb"
    out = tmp / "output"
    code = write_exports.main(["--as-of", AS_OF, "--db", str(db), "--out", str(out)]) \
        if proc.returncode == 0 else None
    return tmp, landing, db, out, proc, code


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_build_passes_with_lookalikes_the_guard_must_not_flag(built):
    _, _, _, _, proc, code = built
    assert proc.returncode == 0, proc.stdout[-6000:]
    assert "assert_exports_no_clear_text_identifiers" in proc.stdout
    assert code == 0


def test_planted_values_reach_the_files_neutralised(built):
    _, _, db, out, proc, _ = built
    assert proc.returncode == 0, proc.stdout[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    try:  # fields that are numbers (a leading '-' there is a sign, not a formula)
        numbers = set(con.execute("select platform, header_name from exports.export_layout"
                                  " where value_kind in ('number', 'quantity')").fetchall())
    finally:
        con.close()
    for platform in CSV_PLATFORMS:
        rows = read_csv(out / platform / f"{AS_OF}.csv")
        assert rows, platform
        for row in rows:
            for field, value in row.items():
                if (platform, field) in numbers and value:
                    float(value)  # a number (a sign is not a formula)
                else:
                    assert not value.startswith(FORMULA_STARTS), (platform, field, value)
    order_fields = {"the_trade_desk": "OrderId", "pinterest": "order_id", "snapchat": "transaction_id",
                    "criteo": "event_id", "google_enhanced_conversions": "order_id"}
    for platform, field in order_fields.items():
        orders = {r[field] for r in read_csv(out / platform / f"{AS_OF}.csv")}
        assert {"'" + ORDER_HYPERLINK, "'" + ORDER_CMD, "'" + ORDER_NEGATIVE} <= orders, (platform, orders)
    products = {r["product_id"] for r in read_csv(out / "criteo" / f"{AS_OF}.csv")}
    assert {"'" + PRODUCT_AT, "'" + PRODUCT_EQ, "'-P3"} <= products
    cities = {r["City"] for r in read_csv(out / "the_trade_desk" / f"{AS_OF}.csv")}
    assert {"Lincoln", "'" + CITY_FORMULA} <= cities
    gclids = {r["order_id"]: r["gclid"] for r in read_csv(out / "google_enhanced_conversions" / f"{AS_OF}.csv")}
    assert gclids["'" + ORDER_HYPERLINK] == "'" + GCLID_FORMULA
    assert gclids["'" + ORDER_CMD] == gclids["'" + ORDER_NEGATIVE] == "'" + GCLID_MINUS


def test_click_ids_reach_meta_unchanged_and_no_false_click_id_is_sent(built):
    _, _, _, out, proc, _ = built
    assert proc.returncode == 0, proc.stdout[-3000:]
    lines = (out / "meta" / f"{AS_OF}.jsonl").read_text(encoding="utf-8").splitlines()
    meta = {e["order_id"]: e for e in map(json.loads, lines) if e.get("order_id")}
    fbc = f"fb.1.{int(FBCLID_AT.timestamp() * 1000)}.{FBCLID}"
    assert {meta[o].get("fbc") for o in (ORDER_HYPERLINK, ORDER_CMD, ORDER_NEGATIVE)} == {fbc}
    for platform in PAID:  # no paid-media file carries a parameter that is no click id
        for path in (out / platform).glob(f"{AS_OF}.*"):
            text = path.read_text(encoding="utf-8")
            assert "bad-click.test" not in text and PLANTED_EMAIL not in text, path


def test_fractional_quantities_are_carried_exactly(built):
    _, _, _, out, proc, _ = built
    assert proc.returncode == 0, proc.stdout[-3000:]
    criteo = {r["product_id"]: r for r in read_csv(out / "criteo" / f"{AS_OF}.csv")}
    assert criteo["'" + PRODUCT_AT]["product_quantity"] == "2.5"
    assert criteo["'" + PRODUCT_AT]["product_price"] == "10.00"
    assert criteo["'-P3"]["product_quantity"] == "3"
    pinterest = {r["order_id"]: r["quantity"] for r in read_csv(out / "pinterest" / f"{AS_OF}.csv")}
    snapchat = {r["transaction_id"]: r["number_items"] for r in read_csv(out / "snapchat" / f"{AS_OF}.csv")}
    for sent in (pinterest, snapchat):
        assert sent["'" + ORDER_HYPERLINK] == "2.5"
        assert sent["'" + ORDER_CMD] == "4"


def _guard_sql(tmp: Path) -> str:
    return (tmp / "target" / "compiled" / "closedloop" / "tests" / "dbt" / "exports"
            / "assert_exports_no_clear_text_identifiers.sql").read_text()


def test_guard_fails_on_a_clear_text_leak_in_every_paid_media_export(built):
    tmp, landing, db, _, proc, _ = built
    assert proc.returncode == 0, proc.stdout[-3000:]
    leaks = {  # platform: (column, clear value of the row's customer C9)
        "meta": ("fn", "Ada"),                                   # a name in a customer column
        "the_trade_desk": ("email_hash", PLANTED_EMAIL),         # an email
        "tiktok": ("phone", "+14025550199"),                     # E.164
        "pinterest": ("email", "ADA.LINCOLN@example.com "),      # email, other case
        "snapchat": ("hashed_phone_number", "14025550199"),      # E.164 digits
        "criteo": ("product_id", f"sku-{PLANTED_EMAIL}"),        # an email inside a product id
        "google_enhanced_conversions": ("order_id", "+1 402 555 0199"),  # phone as delivered
    }
    con = duckdb.connect(str(db))
    try:
        assert not con.execute(_guard_sql(tmp)).fetchall()
        for platform, (column, value) in leaks.items():
            updated = con.execute(
                f"update exports.export_{platform} set {column} = ? where cdp_customer_id = 'C9'",
                [value]).fetchall()
            assert updated[0][0] > 0, platform
        hits = con.execute(_guard_sql(tmp)).fetchall()
    finally:
        con.close()
    assert {h[0] for h in hits} == set(PAID), hits
    assert {(h[0], h[1]) for h in hits} == {(p, c) for p, (c, _) in leaks.items()}, hits
    proc = dbt(["test", "-s", "assert_exports_no_clear_text_identifiers"], tmp, landing, READY_VARS)
    assert proc.returncode == 1, proc.stdout[-3000:]
    assert "FAIL" in proc.stdout


def test_platform_without_its_id_is_not_ready_and_gets_no_file(built, capsys):
    tmp, landing, db, out, proc, _ = built
    assert proc.returncode == 0, proc.stdout[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    try:
        ready = con.execute(
            "select platform, bool_and(is_ready), max(not_ready_reason) from exports.export_audit"
            f" where as_of = date '{AS_OF}' group by platform").fetchall()
    finally:
        con.close()
    assert all(r[1] and r[2] is None for r in ready), ready
    # The same warehouse, next day, without the two ids.
    next_day = "2026-11-02"
    import json

    cmd = [str(DBT), "build", "-s", "export_prep__candidates", "export_prep__customer_profiles",
           "config.schema:exports", "--vars", json.dumps({"as_of": next_day})]
    proc = subprocess.run(cmd, cwd=ROOT, env=dbt_env(tmp, landing), text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
    assert proc.returncode == 0, proc.stdout[-4000:]
    con = duckdb.connect(str(db), read_only=True)
    try:
        audit = con.execute(
            "select platform, bool_and(is_ready), max(not_ready_reason), max(file_status)"
            f" from exports.export_audit where as_of = date '{next_day}' group by platform").fetchall()
        ledger = con.execute(
            f"select count(*) from exports.export_ledger where first_sent_as_of = date '{next_day}'"
            " and platform in ('the_trade_desk', 'tiktok')").fetchone()[0]
    finally:
        con.close()
    audit = {r[0]: r[1:] for r in audit}
    assert audit["the_trade_desk"][:2] == (False, "var export_the_trade_desk_tracking_tag_id is empty (TrackingTagId)")
    assert audit["tiktok"][:2] == (False, "var export_tiktok_event_source_id is empty (event_source_id)")
    assert audit["the_trade_desk"][2] == audit["tiktok"][2] == "not_ready"
    assert all(v[0] and v[1] is None for p, v in audit.items() if p not in ("the_trade_desk", "tiktok"))
    assert ledger == 0
    capsys.readouterr()
    assert write_exports.main(["--as-of", next_day, "--db", str(db), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "WARNING the_trade_desk is not ready" in err and "WARNING tiktok is not ready" in err
    assert not (out / "the_trade_desk" / f"{next_day}.csv").exists()
    assert not (out / "tiktok" / f"{next_day}.jsonl").exists()
    assert (out / "meta" / f"{next_day}.jsonl").exists()
