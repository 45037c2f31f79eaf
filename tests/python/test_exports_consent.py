"""Consent and deletions reach the owned channels, once and in order (issue 15).

The hostile fixture plus a few customers of our own, whose story is laid in landing files
stamped on the run days (files are in a run's scope from their stamp on, so the whole story
can sit in one landing folder). Each day is an operator's run: `dbt build` + the writer.

* X1: subscribed by default on day 1; DNE=Y delivered on day 2 -> Braze `unsubscribed`,
  Klaviyo UNSUBSCRIBED (and out of the profile file), on day 2 only.
* X2: emailUnsubscribe then emailSubscribe on the same day (before day 1) -> `opted_in`.
* X3: emailUnsubscribe before day 1, emailSubscribe before day 2 (across days) ->
  unsubscribed on day 1, opted_in / SUBSCRIBED on day 2.
* X4: sent on day 1, deleted on day 2 -> one Braze /users/delete and one Klaviyo
  data-privacy deletion on day 2, none on day 3 (never repeated).
* X5: deleted before it was ever sent -> no deletion request anywhere.
* X6: DNE=Y from its first row, emailSubscribe before day 2 -> UNSUBSCRIBED and out of the
  Klaviyo profile file on day 1; SUBSCRIBED and back in the profile file on day 2 (the event
  overrides the flag, which stays Y).
* Then a backfill of the day before day 1 (X3 was unsubscribed then, X1 not yet) after day 3
  writes nothing (no older state after a newer one), and day 3 again is byte-identical; the
  ledger equals the files on disk.

Five builds of the hostile fixture: about 2 to 3 minutes on 2 shared cores.
"""
from __future__ import annotations

import calendar
import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, operator_day
from test_exports_backfill import _snapshot, ledger_vs_files

HOSTILE = ROOT / "tests" / "fixtures" / "hostile" / "landing"
DAY1, DAY2, DAY3 = dt.date(2026, 10, 24), dt.date(2026, 10, 25), dt.date(2026, 10, 26)
CUSTOMER_HEADER = ("SourceCustomerNumber,FirstName,LastName,Email,MobilePhone,PrimaryPhone,Address1,City,State,"
                   "ZipCode,Country,BirthDate,Gender,Preferences,DateCreated,DateModified,DeleteFlag")
EVENT_HEADER = ("Type,EventTimeStamp,SourceCustomerNumber,Email,Subtype,SourceMessageNumber,Cookie,SessionID,"
                "URL,SourceProductNumber,SourceTransactionNumber,Value")


def _customer(number: str, email: str, preferences: str = "DNE=N&DNC=N&DNS=N", delete: str = "N") -> str:
    return (f"{number},Xena,Consent{number},{email},(212) 555-01{number[-1]}0,,1 Side St,Boston,MA,02110,US,"
            f"1980-01-01,F,{preferences},2026-01-01T00:00:00Z,2026-10-01T00:00:00Z,{delete}")


def _event(event_type: str, at: str, number: str) -> str:
    millis = calendar.timegm(dt.datetime.fromisoformat(at).timetuple()) * 1000
    return f"{event_type},{millis},{number},,,,,,,,,"


def _landing(path: Path) -> None:
    shutil.copytree(HOSTILE, path)
    files = {
        "crm_customer_20261023060000.csv": [CUSTOMER_HEADER,
            _customer("X1", "x1@example.org"), _customer("X2", "x2@example.org"),
            _customer("X3", "x3@example.org"), _customer("X4", "x4@example.org"),
            _customer("X5", "x5@example.org", delete="Y"),
            _customer("X6", "x6@example.org", preferences="DNE=Y&DNC=N&DNS=N")],
        "esp_event_20261024050000.csv": [EVENT_HEADER,
            _event("emailUnsubscribe", "2026-10-23T10:00:00", "X2"),
            _event("emailSubscribe", "2026-10-23T15:00:00", "X2"),
            _event("emailUnsubscribe", "2026-10-23T11:00:00", "X3")],
        "crm_customer_20261025060000.csv": [CUSTOMER_HEADER,
            _customer("X1", "x1@example.org", preferences="DNE=Y&DNC=N&DNS=N"),
            _customer("X4", "x4@example.org", delete="Y")],
        "esp_event_20261025050000.csv": [EVENT_HEADER,
            _event("emailSubscribe", "2026-10-24T12:00:00", "X3"),
            _event("emailSubscribe", "2026-10-24T13:00:00", "X6")],
    }
    for name, lines in files.items():
        (path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    # The days follow the hostile fixture's last files (2026-10-15) and the as_of its staging
    # unit tests assume (2026-10-20 or later).
    tmp = tmp_path_factory.mktemp("exports_consent")
    landing, out, db = tmp / "landing", tmp / "output", tmp / "warehouse.duckdb"
    _landing(landing)

    def day(as_of: dt.date) -> str:
        return operator_day(tmp, landing, out, as_of.isoformat(), ["--exclude", "assert_export_audit_reconciles"])

    for d in (DAY1, DAY2, DAY3):
        day(d)
    after_day3 = {"files": _snapshot(out), "check": ledger_vs_files(db, out)}
    con = duckdb.connect(str(db), read_only=True)
    try:
        audit = con.execute("select platform, as_of, reason, row_count from exports.export_audit"
                            " where platform in ('braze_user_delete', 'klaviyo_data_privacy_deletion',"
                            " 'klaviyo_subscriptions') and reason in ('sent', 'exported')").fetchall()
    finally:
        con.close()
    backfill_log = day(DAY1 - dt.timedelta(days=1))
    after_backfill = _snapshot(out)
    day(DAY3)
    return out, db, after_day3, audit, backfill_log, after_backfill, _snapshot(out)


def _by(rows: list[dict], key: str) -> dict[str, dict]:
    return {r[key]: r for r in rows}


def test_subscription_state_in_braze_fields(story):
    out = story[0]
    day1 = _by(_rows(out / "braze" / f"{DAY1}.jsonl"), "external_id")
    assert "email_subscribe" not in day1["X1"]  # no signal yet: Braze keeps its own state
    assert day1["X2"]["email_subscribe"] == "opted_in"  # unsubscribe then resubscribe, one day
    assert day1["X3"]["email_subscribe"] == "unsubscribed"
    assert day1["X3"]["email"] == "x3@example.org"  # the opt-out travels with the address
    assert "X5" not in day1
    day2 = _by(_rows(out / "braze" / f"{DAY2}.jsonl"), "external_id")
    assert day2["X1"]["email_subscribe"] == "unsubscribed"  # DNE=Y
    assert day1["X6"]["email_subscribe"] == "unsubscribed"  # DNE=Y from its first row
    assert day2["X6"]["email_subscribe"] == "opted_in"  # a later subscribe event overrides DNE=Y
    assert day2["X3"]["email_subscribe"] == "opted_in"  # resubscribed across days
    assert "X4" not in day2 and "X2" not in day2  # deleted / unchanged
    assert _rows(out / "braze" / f"{DAY3}.jsonl") == []


def test_klaviyo_unsubscribe_and_resubscribe(story):
    out = story[0]
    sub = lambda day: {r["email"]: r["subscriptions"]["email"]["marketing"]["consent"]  # noqa: E731
                       for r in _rows(out / "klaviyo" / "subscriptions" / f"{day}.jsonl")
                       if r["email"].endswith("@example.org")}  # the fixture's own DNE customers aside
    assert sub(DAY1) == {"x2@example.org": "SUBSCRIBED", "x3@example.org": "UNSUBSCRIBED",
                         "x6@example.org": "UNSUBSCRIBED"}
    assert sub(DAY2) == {"x1@example.org": "UNSUBSCRIBED", "x3@example.org": "SUBSCRIBED",
                         "x6@example.org": "SUBSCRIBED"}
    assert sub(DAY3) == {}
    profiles1 = {r["email"] for r in _rows(out / "klaviyo" / f"{DAY1}.jsonl")}
    assert not {"x3@example.org", "x6@example.org"} & profiles1
    assert {"x1@example.org", "x4@example.org"} <= profiles1
    profiles2 = {r["email"] for r in _rows(out / "klaviyo" / f"{DAY2}.jsonl")}
    assert "x1@example.org" not in profiles2
    assert {"x3@example.org", "x6@example.org"} <= profiles2  # re-subscribed: a profile again


def test_deletion_requests_once_and_only_for_customers_sent(story):
    out = story[0]
    braze = {d: _rows(out / "braze" / "user_delete" / f"{d}.jsonl") for d in (DAY1, DAY2, DAY3)}
    klaviyo = {d: _rows(out / "klaviyo" / "data_privacy_deletion" / f"{d}.jsonl") for d in (DAY1, DAY2, DAY3)}
    assert braze == {DAY1: [], DAY2: [{"external_id": "X4"}], DAY3: []}
    assert klaviyo == {DAY1: [], DAY2: [{"email": "x4@example.org"}], DAY3: []}
    # one identifier per Klaviyo request; X5 (deleted before it was ever sent) is in no file
    assert all(len(r) == 1 for rows in klaviyo.values() for r in rows)
    everything = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.jsonl"))
    assert "X5" not in everything and "x5@example.org" not in everything


def test_audit_counts_the_new_files(story):
    audit = {(p, str(d), r): n for p, d, r, n in story[3]}
    assert audit[("braze_user_delete", str(DAY2), "sent")] == 1
    assert audit[("klaviyo_data_privacy_deletion", str(DAY2), "sent")] == 1
    assert audit[("braze_user_delete", str(DAY3), "sent")] == 0
    assert audit[("klaviyo_subscriptions", str(DAY2), "sent")] == 3
    # exported = every deleted customer (the hostile fixture has some too); sent <= exported
    assert audit[("braze_user_delete", str(DAY2), "exported")] >= 2


def test_backfill_sends_no_older_state_and_rerun_is_identical(story):
    _, db, after_day3, _, backfill_log, after_backfill, final = story
    assert after_day3["check"] == []
    assert after_backfill == after_day3["files"]  # no file for the older day, nothing changed
    assert "no file for the older" in backfill_log
    assert final == after_day3["files"]
    assert ledger_vs_files(db, story[0]) == []
