"""End to end: an anonymous visit from an e-mail link, a login days later, a purchase (issue 14).

The hostile fixture (campaign CMP1, dispatch D1 (email), messages M1 and M2) plus files of our
own, laid in one landing folder with the stamps of the days they arrive. Two customers of our
own, WEB1 and WEB2, get an emailSend of CMP1 (a send is not a touch) and no click or open:

* Story A, all files on time. 2026-10-21 10:00 an anonymous session `sa-1` (Cookie `ck-wa`
  and SessionID only) lands on `https://shop.example/p/P1?utm_source=email&utm_medium=email&
  utm_campaign=CMP1&utm_content=M1`, then views a second page without parameters;
  2026-10-23 a `login` of WEB1 with that cookie (session `sa-2`); 2026-10-24 12:00 the web
  shop purchase TWA1 (organization W1) and its checkout event (session `sa-3`, same cookie).
* Story B, the login in a late file. The same for WEB2 (cookie `ck-wb`, landing session
  `sb-1` through `utm_content=M2`, purchase TWB1 on 2026-10-24 13:00, no checkout event, which
  would identify the cookie itself), but the 2026-10-23 login arrives in
  `web_event_20261027060000.csv`, stamped after the purchase's day.

Two `dbt build` runs (models and data tests but one, no unit tests) on the same warehouse:
as_of 2026-10-26 (the late file is in the folder but out of scope) and as_of 2026-10-27 (the
incremental run loads it). Asserted with exact values:

* fct_events: the anonymous events of the landing session belong to the customer with
  customer_resolution 'cookie' (story B: 'unresolved', no customer, after the first build);
* fct_customer_journey: the customer's entries in order, the landing before the purchase
  (story B: no landing entry after the first build);
* fct_web_sessions: the landing session's campaign CMP1, message and dispatch,
  campaign_resolution 'utm_content', channel_group 'Email', the utm values of the landing URL,
  its customer with customer_resolution 'cookie' (story B: 'anonymous' first);
* fct_attributed_conversions: the purchase's only touch is the campaign session (touch_type
  'campaign_session', touch_id its session_key, campaign CMP1, its message and dispatch,
  channel email), credit 1 and the whole revenue under every model, last_touch the default;
  story B's purchase is a conversion with no attribution row after the first build;
* story A is the same after the second build as after the first;
* the dim_identity_map row of the cookie (none for story B before the late file).

With var identity_back_stitch_days 0 the stitching, journey, session and attribution checks
fail; when the campaign session is no touch, the attribution checks fail. Two builds of a tiny landing folder: about 70 s alone on
2 cores, up to about 3 minutes with other jobs on them.
"""
from __future__ import annotations

import calendar
import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT

HOSTILE = ROOT / "tests" / "fixtures" / "hostile" / "landing"
# Models and data tests (the unit tests run in make test's own build).
BUILD = ["build", "--exclude", "resource_type:unit_test"]
AS_OF_BEFORE_LATE_FILE = "2026-10-26"
AS_OF_AFTER_LATE_FILE = "2026-10-27"
LATE_FILE = "web_event_20261027060000.csv"

CUSTOMER_HEADER = ("SourceCustomerNumber,FirstName,LastName,Email,MobilePhone,PrimaryPhone,Address1,City,State,"
                   "ZipCode,Country,BirthDate,Gender,Preferences,DateCreated,DateModified,DeleteFlag")
EVENT_HEADER = ("Type,EventTimeStamp,SourceCustomerNumber,Email,Subtype,SourceMessageNumber,Cookie,SessionID,"
                "URL,SourceProductNumber,SourceTransactionNumber,Value")
TRANSACTION_HEADER = ("SourceTransactionNumber,SourceCustomerNumber,SourceOrganizationNumber,TransactionTimeStamp,"
                      "Type,Total,Currency,Discount,Tax")


def _landing_url(message: str) -> str:
    return ("https://shop.example/p/P1?utm_source=email&utm_medium=email"
            f"&utm_campaign=CMP1&utm_content={message}")


def _millis(at: str) -> int:
    return calendar.timegm(dt.datetime.fromisoformat(at).timetuple()) * 1000


def _event(event_type: str, at: str, *, customer: str = "", message: str = "", cookie: str = "",
           session: str = "", url: str = "", product: str = "", transaction: str = "", value: str = "") -> str:
    return (f"{event_type},{_millis(at)},{customer},,,{message},{cookie},{session},{url},{product},"
            f"{transaction},{value}")


def _customer(number: str, first: str, email: str) -> str:
    return (f"{number},{first},Web,{email},,,2 Web Way,Boston,MA,02110,US,1990-05-05,F,DNE=N&DNC=N&DNS=N,"
            "2026-01-01T00:00:00Z,2026-10-01T00:00:00Z,N")


FILES = {
    "crm_customer_20261020060000.csv": [
        CUSTOMER_HEADER, _customer("WEB1", "Wanda", "wanda@example.org"),
        _customer("WEB2", "Walter", "walter@example.org")],
    "esp_event_20261021120000.csv": [
        EVENT_HEADER,
        _event("emailSend", "2026-10-21T08:00:00", customer="WEB1", message="M1"),
        _event("emailSend", "2026-10-21T08:00:00", customer="WEB2", message="M2")],
    # The anonymous landings (both stories) arrive on time, the next morning.
    "web_event_20261022060000.csv": [
        EVENT_HEADER,
        _event("productBrowsed", "2026-10-21T10:00:00", cookie="ck-wa", session="sa-1",
               url=_landing_url("M1"), product="P1"),
        _event("productBrowsed", "2026-10-21T10:05:00", cookie="ck-wa", session="sa-1",
               url="https://shop.example/p/P2", product="P2"),
        _event("productBrowsed", "2026-10-21T11:00:00", cookie="ck-wb", session="sb-1",
               url=_landing_url("M2"), product="P1"),
        _event("productBrowsed", "2026-10-21T11:05:00", cookie="ck-wb", session="sb-1",
               url="https://shop.example/p/P2", product="P2")],
    # Story A's login, on time.
    "web_event_20261024060000.csv": [
        EVENT_HEADER,
        _event("login", "2026-10-23T09:00:00", customer="WEB1", cookie="ck-wa", session="sa-2",
               url="https://shop.example/account/login")],
    "web_transaction_20261025060000.csv": [
        TRANSACTION_HEADER,
        "TWA1,WEB1,W1,2026-10-24T12:00:00Z,Purchase,80.00,USD,0,0",
        "TWB1,WEB2,W1,2026-10-24T13:00:00Z,Purchase,60.00,USD,0,0"],
    "web_event_20261025060000.csv": [
        EVENT_HEADER,
        _event("checkout", "2026-10-24T12:00:00", customer="WEB1", cookie="ck-wa", session="sa-3",
               url="https://shop.example/checkout", transaction="TWA1", value="80.00")],
    # Story B's login, delivered after the purchase's day (a late file).
    LATE_FILE: [
        EVENT_HEADER,
        _event("login", "2026-10-23T09:30:00", customer="WEB2", cookie="ck-wb", session="sb-2",
               url="https://shop.example/account/login")],
}

MODELS = {"last_touch", "first_touch", "linear", "position_based", "markov"}


def _landing(path: Path) -> None:
    shutil.copytree(HOSTILE, path)
    for name, lines in FILES.items():
        (path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _snapshot(db: Path) -> dict:
    """What the assertions read, per customer, from one build's warehouse."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        def rows(sql: str, params: list | None = None) -> list[dict]:
            cur = con.execute(sql, params or [])
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r)) for r in cur.fetchall()]

        out = {}
        for customer, cookie, landing, transaction in (("WEB1", "ck-wa", "sa-1", "TWA1"),
                                                       ("WEB2", "ck-wb", "sb-1", "TWB1")):
            out[customer] = {
                "landing_events": rows(
                    "select event_id, event_type, event_at, url, customer_id, customer_resolution"
                    " from marts.fct_events where session_id = ? order by event_at", [landing]),
                "journey": rows(
                    "select entry_sequence, entry_kind, entry_type, entry_at, event_id, transaction_id"
                    " from marts.fct_customer_journey where customer_id = ? order by entry_sequence", [customer]),
                "session": rows(
                    "select session_key, session_id, cookie, customer_id, customer_resolution, session_start_at,"
                    " landing_url, utm_source, utm_medium, utm_campaign, utm_content, channel_group,"
                    " campaign_resolution, campaign_id, dispatch_id, message_id"
                    " from marts.fct_web_sessions where session_id = ?", [landing]),
                "conversions": rows(
                    "select transaction_id, customer_id, conversion_revenue"
                    " from intermediate.int_attribution__conversions where transaction_id = ?", [transaction]),
                "attribution": rows(
                    "select attribution_model, is_default_model, customer_id, touch_id, touch_at, touch_type,"
                    " touch_rule, touch_channel, campaign_id, dispatch_id, message_id, touch_sequence, touch_count,"
                    " credit, attributed_revenue, conversion_revenue"
                    " from marts.fct_attributed_conversions where transaction_id = ?"
                    " order by attribution_model", [transaction]),
                "identity": rows(
                    "select cookie, customer_id from marts.dim_identity_map where cookie = ?", [cookie]),
            }
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def builds(run_dbt, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web_identity")
    landing = tmp / "landing"
    _landing(landing)
    snapshots = {}
    for as_of in (AS_OF_BEFORE_LATE_FILE, AS_OF_AFTER_LATE_FILE):
        proc = run_dbt(BUILD, workdir=tmp, landing=landing, as_of=as_of)
        assert proc.returncode == 0, f"dbt build {as_of}:\n{proc.stdout[-4000:]}"
        snapshots[as_of] = _snapshot(tmp / "warehouse.duckdb")
    return snapshots


def _ts(at: str) -> dt.datetime:
    return dt.datetime.fromisoformat(at)


def _assert_landing_stitched(snap: dict, customer: str) -> None:
    events = snap["landing_events"]
    assert [(e["event_type"], e["customer_id"], e["customer_resolution"]) for e in events] == [
        ("productBrowsed", customer, "cookie"), ("productBrowsed", customer, "cookie")]


def _assert_session_resolved(snap: dict, customer: str, cookie: str, message: str, start: str,
                             customer_resolution: str) -> None:
    assert len(snap["session"]) == 1
    session = snap["session"][0]
    assert {k: session[k] for k in ("cookie", "customer_id", "customer_resolution", "session_start_at",
                                    "landing_url", "utm_source", "utm_medium", "utm_campaign", "utm_content",
                                    "channel_group", "campaign_resolution", "campaign_id", "dispatch_id",
                                    "message_id")} == {
        "cookie": cookie, "customer_id": customer, "customer_resolution": customer_resolution,
        "session_start_at": _ts(start),
        "landing_url": _landing_url(message), "utm_source": "email", "utm_medium": "email",
        "utm_campaign": "CMP1", "utm_content": message, "channel_group": "Email",
        "campaign_resolution": "utm_content", "campaign_id": "CMP1", "dispatch_id": "D1", "message_id": message}


def _assert_credited_to_session(snap: dict, customer: str, message: str, touch_at: str, revenue: str) -> None:
    session_key = snap["session"][0]["session_key"]
    rows = snap["attribution"]
    assert {r["attribution_model"] for r in rows} == MODELS
    assert len(rows) == len(MODELS), "one touch per model: the campaign session only"
    for r in rows:
        assert {k: r[k] for k in ("customer_id", "touch_id", "touch_at", "touch_type", "touch_rule",
                                  "touch_channel", "campaign_id", "dispatch_id", "message_id",
                                  "touch_sequence", "touch_count")} == {
            "customer_id": customer, "touch_id": session_key, "touch_at": _ts(touch_at),
            "touch_type": "campaign_session", "touch_rule": "lookback", "touch_channel": "email",
            "campaign_id": "CMP1", "dispatch_id": "D1", "message_id": message,
            "touch_sequence": 1, "touch_count": 1}, r["attribution_model"]
        assert str(r["credit"]) == "1.000000", r["attribution_model"]
        assert str(r["attributed_revenue"]) == revenue == str(r["conversion_revenue"]), r["attribution_model"]
        assert r["is_default_model"] == (r["attribution_model"] == "last_touch")


# --- story A: every file on time ------------------------------------------------------------

def test_a_anonymous_landing_belongs_to_the_customer(builds):
    snap = builds[AS_OF_BEFORE_LATE_FILE]["WEB1"]
    _assert_landing_stitched(snap, "WEB1")
    assert snap["identity"] == [{"cookie": "ck-wa", "customer_id": "WEB1"}]


def test_a_landing_is_in_the_journey_before_the_purchase(builds):
    snap = builds[AS_OF_BEFORE_LATE_FILE]["WEB1"]
    journey = [(e["entry_kind"], e["entry_type"], e["entry_at"]) for e in snap["journey"]]
    assert journey == [
        ("event", "emailSend", _ts("2026-10-21T08:00:00")),
        ("event", "productBrowsed", _ts("2026-10-21T10:00:00")),
        ("event", "productBrowsed", _ts("2026-10-21T10:05:00")),
        ("event", "login", _ts("2026-10-23T09:00:00")),
        ("event", "checkout", _ts("2026-10-24T12:00:00")),
        ("transaction", "purchase", _ts("2026-10-24T12:00:00")),
    ]
    landing_id = snap["landing_events"][0]["event_id"]
    assert snap["journey"][1]["event_id"] == landing_id
    assert snap["journey"][5]["transaction_id"] == "TWA1"
    assert [e["entry_sequence"] for e in snap["journey"]] == [1, 2, 3, 4, 5, 6]


def test_a_session_resolves_to_the_campaign(builds):
    _assert_session_resolved(builds[AS_OF_BEFORE_LATE_FILE]["WEB1"], "WEB1", "ck-wa", "M1", "2026-10-21T10:00:00",
                             "cookie")


def test_a_attribution_credits_the_session(builds):
    snap = builds[AS_OF_BEFORE_LATE_FILE]["WEB1"]
    assert [(c["customer_id"], str(c["conversion_revenue"])) for c in snap["conversions"]] == [("WEB1", "80.0000")]
    _assert_credited_to_session(snap, "WEB1", "M1", "2026-10-21T10:00:00", "80.0000")


def test_a_unchanged_by_the_next_run(builds):
    assert builds[AS_OF_AFTER_LATE_FILE]["WEB1"] == builds[AS_OF_BEFORE_LATE_FILE]["WEB1"]


# --- story B: the login arrives in a late file ----------------------------------------------

def test_b_before_the_late_file_the_visit_is_anonymous(builds):
    snap = builds[AS_OF_BEFORE_LATE_FILE]["WEB2"]
    assert [(e["event_type"], e["customer_id"], e["customer_resolution"]) for e in snap["landing_events"]] == [
        ("productBrowsed", None, "unresolved"), ("productBrowsed", None, "unresolved")]
    assert snap["identity"] == []
    assert [(e["entry_kind"], e["entry_type"]) for e in snap["journey"]] == [
        ("event", "emailSend"), ("transaction", "purchase")]
    assert len(snap["session"]) == 1
    session = snap["session"][0]
    assert (session["customer_id"], session["customer_resolution"], session["campaign_id"], session["message_id"],
            session["campaign_resolution"]) == (None, "anonymous", "CMP1", "M2", "utm_content")


def test_b_before_the_late_file_the_purchase_is_not_credited(builds):
    snap = builds[AS_OF_BEFORE_LATE_FILE]["WEB2"]
    assert [(c["customer_id"], str(c["conversion_revenue"])) for c in snap["conversions"]] == [("WEB2", "60.0000")]
    assert snap["attribution"] == []


def test_b_late_login_stitches_the_earlier_visit(builds):
    snap = builds[AS_OF_AFTER_LATE_FILE]["WEB2"]
    _assert_landing_stitched(snap, "WEB2")
    assert snap["identity"] == [{"cookie": "ck-wb", "customer_id": "WEB2"}]
    journey = [(e["entry_kind"], e["entry_type"], e["entry_at"]) for e in snap["journey"]]
    assert journey == [
        ("event", "emailSend", _ts("2026-10-21T08:00:00")),
        ("event", "productBrowsed", _ts("2026-10-21T11:00:00")),
        ("event", "productBrowsed", _ts("2026-10-21T11:05:00")),
        ("event", "login", _ts("2026-10-23T09:30:00")),
        ("transaction", "purchase", _ts("2026-10-24T13:00:00")),
    ]
    assert snap["journey"][1]["event_id"] == snap["landing_events"][0]["event_id"]


def test_b_late_login_resolves_the_session_and_credits_it(builds):
    before, after = builds[AS_OF_BEFORE_LATE_FILE]["WEB2"], builds[AS_OF_AFTER_LATE_FILE]["WEB2"]
    _assert_session_resolved(after, "WEB2", "ck-wb", "M2", "2026-10-21T11:00:00", "cookie")
    assert after["session"][0]["session_key"] == before["session"][0]["session_key"]
    _assert_credited_to_session(after, "WEB2", "M2", "2026-10-21T11:00:00", "60.0000")
