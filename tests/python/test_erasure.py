"""Erasure inside the warehouse (issue 15, var erase_deleted_customers).

The consent story of test_exports_consent (X4 sent on day 1 and deleted on day 2, X5 deleted
before it was ever sent), plus events of X4 that carry only its email: one before the
deletion, one delivered on day 3 (after the customer was listed for erasure). Four runs with
`erase_deleted_customers: true`, each `dbt build` + the writer. Then:

* day 2 (the deletion arrives) still sends Klaviyo's data-privacy deletion with X4's email;
* day 3 erased X4's and X5's base rows at its start: their rows are still there (same count),
  with no personal column and the erased raw_row;
* after day 4 (the late event erased at its start) no text column of any table of the
  warehouse holds a clear-text value of a deleted customer: the email, last name, phone and
  street of X4 and X5, and the email of every deleted customer of the hostile fixture that no
  live customer shares (values read from the landing files with Python's csv module);
* every data test passes on each day, ingestion_audit's reconciliation (rows_read =
  rows_accepted + rows_rejected) among them, and no deletion request is sent twice.

Four builds of the hostile fixture: about 2 to 3 minutes on 2 shared cores.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from conftest import operator_day
from test_exports_consent import DAY1, DAY2, DAY3, EVENT_HEADER, HOSTILE, _landing, _rows

DAY4 = DAY3 + dt.timedelta(days=1)
DELETED = {  # customer -> clear-text values the landing files give it (test_exports_consent._customer)
    "X4": ["x4@example.org", "ConsentX4", "(212) 555-0140"],
    "X5": ["x5@example.org", "ConsentX5", "(212) 555-0150"],
}
TRUTHY = {"y", "yes", "true", "1"}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _email_event(event_type: str, millis: int, email: str) -> str:
    return f"{event_type},{millis},,{email},,,cookie-{email},,https://shop.example.com/?e={email},,,"


def _deleted_emails_of_fixture() -> list[str]:
    """Emails (lower-case) of the hostile fixture's customers whose latest DeleteFlag is true,
    except those a live customer also holds: read with Python's csv module, file by file in
    delivery order."""
    latest: dict[str, tuple[bool, str]] = {}
    for path in sorted(HOSTILE.glob("*customer_*.csv"), key=lambda p: p.name[-18:]):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                number = (row.get("SourceCustomerNumber") or "").strip()
                if not number:
                    continue
                deleted, email = latest.get(number, (False, ""))
                flag = (row.get("DeleteFlag") or "").strip().lower()
                if flag:
                    deleted = flag in TRUTHY
                email = (row.get("Email") or "").strip().lower() or email
                latest[number] = (deleted, email)
    live = {email for deleted, email in latest.values() if not deleted}
    return sorted({email for deleted, email in latest.values()
                   if deleted and "@" in email and email not in live})


@pytest.fixture(scope="module")
def erased(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("erasure")
    landing, out, db = tmp / "landing", tmp / "output", tmp / "warehouse.duckdb"
    _landing(landing)
    before_delete = int(dt.datetime(2026, 10, 24, 9, tzinfo=dt.timezone.utc).timestamp() * 1000)
    late = int(dt.datetime(2026, 10, 25, 20, tzinfo=dt.timezone.utc).timestamp() * 1000)
    (landing / "esp_event_20261024080000.csv").write_text(
        "\n".join([EVENT_HEADER, _email_event("emailOpen", before_delete, "X4@Example.org")]) + "\n", encoding="utf-8")
    (landing / "esp_event_20261026050000.csv").write_text(
        "\n".join([EVENT_HEADER, _email_event("emailClick", late, "x4@example.org")]) + "\n", encoding="utf-8")
    counts = {}

    def day(as_of: dt.date) -> None:
        operator_day(tmp, landing, out, as_of.isoformat(), ["--exclude", "assert_export_audit_reconciles"],
                     {"erase_deleted_customers": True})
        con = duckdb.connect(str(db), read_only=True)
        try:
            counts[as_of] = con.execute(
                "select customer_id, count(*), count(email), count(last_name), count(mobile_phone),"
                " count(address_1), count(custom_attributes), max(raw_row)"
                " from staging.base_cdp__customers where customer_id in ('X4', 'X5') group by 1").fetchall()
        finally:
            con.close()

    for d in (DAY1, DAY2, DAY3, DAY4):
        day(d)
    return out, db, counts


def test_deletion_request_still_carries_the_email(erased):
    out, _, _ = erased
    requests = _rows(out / "klaviyo" / "data_privacy_deletion" / f"{DAY2}.jsonl")
    assert "x4@example.org" in json.dumps(requests)
    assert not _rows(out / "klaviyo" / "data_privacy_deletion" / f"{DAY3}.jsonl")
    assert not _rows(out / "klaviyo" / "data_privacy_deletion" / f"{DAY4}.jsonl")


def test_rows_are_kept_and_emptied_from_the_next_run(erased):
    _, _, counts = erased
    day2 = {r[0]: r for r in counts[DAY2]}
    day3 = {r[0]: r for r in counts[DAY3]}
    assert day2["X4"][2] >= 1, "before its erasure run X4 still has its email"
    for customer in DELETED:
        rows, *personal, raw_row = day3[customer][1:]
        assert rows == day2[customer][1], f"{customer}: erasure keeps every row"
        assert personal == [0, 0, 0, 0, 0], f"{customer}: personal columns left {personal}"
        assert raw_row == '{"erased": true}'


def test_no_clear_text_of_a_deleted_customer_in_any_table(erased):
    _, db, _ = erased
    values = [v.lower() for vs in DELETED.values() for v in vs] + _deleted_emails_of_fixture()
    assert len(values) > len(DELETED) * 3, "the fixture has deleted customers with an email of their own"
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns"
            " where data_type like 'VARCHAR%' and table_catalog = current_database()").fetchall()
        assert len(columns) > 300
        found = []
        for schema, table, column in columns:
            source = ".".join(_quoted(part) for part in (schema, table))
            for value in values:
                hits = con.execute(f"select count(*) from {source} where contains(lower({_quoted(column)}), ?)",
                                   [value]).fetchone()[0]
                if hits:
                    found.append(f"{schema}.{table}.{column}: {value} x{hits}")
    finally:
        con.close()
    assert not found, "\n".join(found)


def test_each_deletion_request_sent_once(erased):
    _, db, _ = erased
    con = duckdb.connect(str(db), read_only=True)
    try:
        sent = con.execute("select platform, event_id, count(*) from exports.export_ledger"
                           " where platform in ('braze_user_delete', 'klaviyo_data_privacy_deletion')"
                           " group by 1, 2 order by 1, 2").fetchall()
        listed = dict(con.execute("select customer_id, listed_as_of from exports.export_customer_erasures"
                                  " where customer_id in ('X4', 'X5')").fetchall())
    finally:
        con.close()
    assert [(p, e) for p, e, _ in sent if e in DELETED] == [
        ("braze_user_delete", "X4"), ("klaviyo_data_privacy_deletion", "X4")]
    assert all(n == 1 for _, _, n in sent)
    assert listed == {"X4": DAY2, "X5": DAY1}
