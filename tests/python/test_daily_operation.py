"""Daily operation end to end (issue 5): 30 scheduled runs equal one full refresh.

A small world is generated once (scripts/generate_sample.py) into a staging folder. Each of 30
consecutive days its files stamped that day are copied into the landing folder - plus what
real feeds do to an operator (SCENARIO below): late events (a file delivered today holding
events of a week or two ago), a file held back and delivered days later under its original
name, a re-sent file, customer changes and deletes, a campaign edit, a file replaced by its
sender, a file archived away by the operator (its rows stay) - and the daily command runs with
`as_of` = that day (`dbt run --selector daily`; the last day `dbt build --selector daily`,
i.e. with every test). Then:

* every table of staging, intermediate, marts, audit, exports and reference equals a
  `--full-refresh` into a fresh database over every file delivered (the landing folder plus
  the files archived away: the warehouse keeps their rows) (EXCEPT ALL both ways), except
  the send history: export_ledger and export_audit's `sent` rows, checked separately (each
  day the ledger rows of that as_of follow the send-once rule worked out from the export
  tables and the earlier days; no event id is sent on two days). The Meta first-load window depends on the ledger by design (a fresh
  warehouse catches up 62 days once), so the reference run sets `export_meta_first_load_days: 0`
  to compare like for like (the 30-day history ran its first load on day 1);
* after every run each base table holds every row of every file delivered so far exactly
  once (per file row counts by Python's csv module) and nothing else: no duplicate, no gap;
* re-running a day gives the identical warehouse, history tables included;
* a run SIGKILLed while loading the base tables, and another killed half way through the
  marts, then re-run, give the warehouse of an uninterrupted run (same start state copied);
* a backfill of the last days over the final landing folder (the files of later days are
  already there: "style B", dates passed in order) from the warehouse of an earlier day
  equals the full refresh;
* each daily run reads exactly the landing files not loaded yet plus those replaced (same
  name, other content): the landing views of the run hold those files and no other (a full
  refresh holds all of them);
* the consent story (CONSENT_SCENARIO, issue 15): customers without any consent signal of
  their own opt out of e-mail by an event and back in days later, out and in within one day,
  out of SMS by an event and by DNC=Y, out by DNE=Y and back in by an event (on a backfilled
  day); one sent customer is deleted, one created and deleted in a day no run saw. After the
  last day fct_subscription_changes / dim_customer_subscriptions show the changes and states
  the story wrote; Braze (email_subscribe, phone) and Klaviyo subscriptions (UNSUBSCRIBED /
  SUBSCRIBED) got each change once on its day; exactly one deletion request per owned platform
  for the sent customer, on the day its delete is delivered, none for the other;
* the identity story (IDENTITY_FILES): cookies browse anonymously (Cookie + SessionID only,
  landing from an e-mail of the world) and identify by a login delivered days late (a late
  file, a held-back one); a shared cookie identifies as A on time and as B late; a cookie of
  the customer the last customer_changes deletes. After every run fct_events, dim_identity_map
  and fct_web_sessions show for these cookies what the identifications delivered so far say
  (unresolved until the login's file arrives, then the login's customer; A's until B's login
  arrives; nobody once the owner is deleted), worked out independently (identity_expected);
  the last day's warehouse and the full refresh hold the same rows;
* the last day's `dbt build` passes every data and unit test; `make daily` / `make backfill`
  refuse a date that is not YYYY-MM-DD (or a backwards range) before running anything.

dbt runs in-process from one parsed manifest (a CLI call re-parses the whole project for
every new `as_of`); the killed runs are real `dbt` CLI processes (a scheduler's view). Each
warehouse has its own folder but the same file name: the parsed manifest names the database
after the file. Figures (files read per day, timings) go to <tmp>/figures.json and, with
CLOSED_LOOP_OPS_FIGURES=path, to that path too.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import duckdb
import yaml
import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT_DIR = Path(os.environ.get("CLOSED_LOOP_PROJECT_DIR", ROOT))
DBT = ROOT / ".venv" / "bin" / "dbt"
GENERATOR = ROOT / "scripts" / "generate_sample.py"

WORLD_AS_OF = dt.date(2026, 11, 1)
WORLD_ARGS = ["--as-of", WORLD_AS_OF.isoformat(), "--customers", "300", "--days", "38",
              "--events", "3000", "--transactions", "400", "--seed", "11"]
DAYS = 30
LAST_DAY = WORLD_AS_OF
FIRST_DAY = LAST_DAY - dt.timedelta(days=DAYS - 1)
RERUN_OFFSET = 7        # day re-run right after its run
KILL_OFFSET = 12        # day whose run is killed twice before it completes
BACKFILL_DAYS = 3       # the last N days are backfilled from the warehouse of the day before
# Killed runs: SIGKILL after this many finished models (the first kill comes while base models are
# loading, the second one in the marts).
KILL_AFTER_MODELS = (3, 40)
# Vars of the full-refresh reference run (see the module docstring).
REFERENCE_VARS = {"export_meta_first_load_days": 0}

SCHEMAS = ("staging", "intermediate", "marts", "audit", "export_prep", "exports", "reference")
BASE_TABLES = {
    "campaign": "base_cdp__campaigns", "dispatch": "base_cdp__dispatches",
    "message": "base_cdp__messages", "event": "base_cdp__events",
    "customer": "base_cdp__customers", "transaction": "base_cdp__transactions",
    "transactionitem": "base_cdp__transaction_items", "organization": "base_cdp__organizations",
}
FILE_RE = re.compile(
    r"^(?:(?P<source>.+)_)?(?P<entity>transactionitem|transaction|campaign|dispatch|message|event"
    r"|customer|organization)_(?P<ts>[0-9]{14})\.csv$", re.IGNORECASE)


def ts(day: dt.date, hms: str = "060000") -> str:
    return day.strftime("%Y%m%d") + hms


def day_at(offset: int) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=offset)


# Files of the world held back and delivered later under their original name.
HELD_BACK = {  # file -> day offset of its delivery
    f"web_event_{ts(day_at(4))}.csv": 10,              # 6 days late
    f"pos_transaction_{ts(day_at(14))}.csv": 16,       # 2 days late
    f"pos_transactionitem_{ts(day_at(14))}.csv": 16,
}
# What else happens to the landing folder, by day offset (applied before that day's run).
SCENARIO = {
    3: [("late_events", "esp", 6)],
    5: [("resend", "esp_event", 2)],
    6: [("customer_changes", 3)],
    7: [("campaign_edit",), ("late_events", "web", 12)],
    9: [("late_events", "esp", 9)],
    11: [("replace", "web_event", 1)],
    12: [("archive", "event", 2), ("customer_changes", 9)],
    13: [("resend", "crm_customer", 10)],
    17: [("late_events", "esp", 6), ("late_events", "web", 14)],
    19: [("campaign_edit",)],
    20: [("resend", "esp_event", 2)],
    21: [("customer_changes", 15)],
    24: [("late_events", "esp", 5)],
    25: [("replace", "web_event", 1)],
    26: [("archive", "event", 2)],
}
# The consent story (issue 15): customers of the world without any consent signal of their own
# (CONSENT_ROLES, picked by Landing.story) opt out and back in by events and by the customer
# feed, and two are deleted. Day offsets; (role, event type, hh:mm:ss of the event, identity).
CONSENT_SCENARIO = {
    7: [("consent_events", ("across_days", "emailUnsubscribe", "140000", "number"))],
    9: [("consent_preferences", "dne_then_event", "DNE", "Y")],
    10: [("consent_events", ("same_day", "emailSubscribe", "143000", "number"),   # written first,
                            ("same_day", "emailUnsubscribe", "090000", "number"))],  # happened first
    12: [("consent_events", ("sms_unsubscribed", "smsUnsubscribe", "110000", "number"))],
    14: [("consent_preferences", "dnc", "DNC", "Y")],
    15: [("consent_events", ("across_days", "emailSubscribe", "100000", "email"))],
    20: [("consent_delete", "deleted_sent")],
    22: [("consent_never_sent",)],
    27: [("consent_events", ("dne_then_event", "emailSubscribe", "080000", "number"))],  # a backfilled day
}
for _offset, _actions in CONSENT_SCENARIO.items():
    SCENARIO.setdefault(_offset, []).extend(_actions)
CONSENT_ROLES = ("across_days", "same_day", "sms_unsubscribed", "dnc", "dne_then_event", "deleted_sent")
NEVER_SENT_ID = "C9000001"  # created and deleted in one day, before any run saw it
CONSENT_TYPES = {"emailsubscribe", "emailunsubscribe", "smssubscribe", "smsunsubscribe", "emailbounce"}
# the state a signal sets (int_customers__subscription_signals: subscribe events opt in)
SIGNAL_STATE = {"emailUnsubscribe": "unsubscribed", "emailSubscribe": "opted_in", "smsUnsubscribe": "unsubscribed",
                "DNE=Y": "unsubscribed", "DNC=Y": "unsubscribed"}

# The identity story (anonymous web visitors, docs/marts.md#identity-stitching): cookies of
# the story browse anonymously (Cookie + SessionID only), landing from an e-mail of the world
# (campaign CMP00004, message MSG0000023 of its dispatch DSP000013, sent 2026-10-06), and
# identify by a `login` (customer number + the cookie) that arrives late: in a file delivered
# days after the login (late: today's stamp, old event; held back: the login day's stamp,
# delivered days later). One cookie changes hands (A early, B late); one belongs to the
# customer the last customer_changes deletes. Customers: IDENTITY_ROLES (Landing.identity_customers).
IDENTITY_CAMPAIGN, IDENTITY_MESSAGE = "CMP00004", "MSG0000023"
IDENTITY_PAGES = {
    "landing": ("categoryBrowsed", "https://www.brand.example/c/outdoor-gear?utm_source=email&utm_medium=email"
                f"&utm_campaign={IDENTITY_CAMPAIGN}&utm_content={IDENTITY_MESSAGE}", ""),
    "product": ("productBrowsed", "https://www.brand.example/p/P00073", "P00073"),
    "login": ("login", "https://www.brand.example/account/login", ""),
}
IDENTITY_COOKIES = {"late": "ckid-late", "held_back": "ckid-held-back", "shared": "ckid-shared",
                    "deleted": "ckid-deleted"}
IDENTITY_ROLES = ("late", "held_back", "shared_first", "shared_second")  # + "deleted" (customer_changes)
# The story's web event files: (day offset of the file's stamp, hhmmss of the stamp, day offset
# of its delivery, events); an event: (cookie, day offset, hhmmss, page, customer role of a
# login or None: anonymous, session). The SessionID is "<cookie>-<session>".
IDENTITY_FILES = (
    (4, "235000", 4, [("late", 4, "101500", "landing", None, "a"), ("late", 4, "101900", "product", None, "a"),
                      ("shared", 4, "183000", "landing", None, "a")]),  # before A's first login: back-stitched
    (5, "235000", 5, [("late", 5, "111000", "product", None, "b"),
                      ("held_back", 5, "081500", "landing", None, "a"),
                      ("held_back", 5, "082200", "product", None, "a"),
                      ("shared", 5, "090000", "login", "shared_first", "b"),  # A identifies, on time
                      ("deleted", 5, "070000", "landing", None, "a")]),
    (6, "235000", 6, [("shared", 6, "101000", "product", None, "c"),  # A's
                      ("deleted", 6, "200500", "login", "deleted", "b")]),
    (7, "235000", 7, [("late", 7, "093000", "product", None, "d"),  # after the login, before its file
                      ("deleted", 7, "094500", "product", None, "c")]),
    (7, "235500", 13, [("held_back", 7, "190000", "login", "held_back", "b")]),  # held back 6 days
    (9, "235000", 9, [("shared", 9, "120000", "landing", None, "e"),  # after B's login: A's until its file
                      ("shared", 9, "120400", "product", None, "e")]),
    (11, "121500", 11, [("late", 6, "200000", "login", "late", "c")]),  # 5 days late
    (15, "121500", 15, [("shared", 8, "203000", "login", "shared_second", "d")]),  # B identifies, 7 days late
    (17, "235000", 17, [("shared", 17, "150000", "product", None, "f")]),  # B's
)
for _index, _file in enumerate(IDENTITY_FILES):
    SCENARIO.setdefault(_file[2], []).append(("identity_file", _index))
# The "deleted" customer of the story: the one the last customer_changes deletes (its n == 3).
IDENTITY_DELETE_OFFSET, _first = max((o, a[1]) for o, acts in SCENARIO.items() for a in acts
                                     if a[0] == "customer_changes")
IDENTITY_DELETED = f"C{_first + 3:07d}"


# --- landing folder ------------------------------------------------------------------------

def parse_name(name: str):
    m = FILE_RE.match(name)
    return (m.group("entity").lower(), m.group("ts")) if m else None


def read_rows(path: Path) -> tuple[str, list[list[str]]]:
    """Delimiter (the most frequent of comma, tab, pipe in the header) and all CSV rows."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        header = fh.readline()
        delim = max([",", "\t", "|"], key=header.count)
        fh.seek(0)
        return delim, [r for r in csv.reader(fh, delimiter=delim) if r]


def write_rows(path: Path, delim: str, rows: list[list[str]]) -> None:
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delim, lineterminator="\n").writerows(rows)
    tmp.rename(path)  # a file appears whole (the .part name is not *.csv, so never read)


class IdentityEvent(NamedTuple):
    """A web event the identity story wrote (customer: the login's SourceCustomerNumber, None
    for an anonymous event; delivered: the day offset of its file's delivery)."""
    cookie: str
    session_id: str
    at: dt.datetime
    event_type: str
    customer: str | None
    url: str
    delivered: int


class Landing:
    """The landing folder, filled day by day from the generated world."""

    def __init__(self, world: Path, landing: Path):
        self.world, self.landing = world, landing
        landing.mkdir(parents=True)
        self.archived = landing.parent / "archived"
        self.archived.mkdir()
        self.log: list[str] = []
        self.replaced: dict[dt.date, set[str]] = {}
        self._full_load: tuple[str, list[list[str]]] | None = None
        self.story = self.story_customers()
        # what the consent story wrote: (customer, channel, signal time, source, type, day)
        self.consent_log: list[tuple] = []
        self.identity = self.identity_customers()
        # what the identity story wrote (IdentityEvent), in writing order
        self.identity_log: list[IdentityEvent] = []

    def deliver(self, offset: int) -> None:
        day = day_at(offset)
        last = ts(day, "235959")
        first = ts(day, "000000") if offset else "0"
        for path in sorted(self.world.glob("*.csv")):
            held = HELD_BACK.get(path.name)
            stamp = parse_name(path.name)[1]
            due = (held == offset) if held is not None else first <= stamp <= last
            if due:
                shutil.copy2(path, self.landing / path.name)
        for action in SCENARIO.get(offset, []):
            getattr(self, action[0])(day, *action[1:])

    def latest(self, prefix: str, before: dt.date) -> Path:
        """The world's file `<prefix>_<stamp>.csv` of the latest delivery day <= before."""
        days = [p for p in self.world.glob(f"{prefix}_*.csv")
                if re.fullmatch(rf"{prefix}_[0-9]{{14}}\.csv", p.name) and p.name[-18:-10] <= before.strftime("%Y%m%d")]
        return max(days, key=lambda p: p.name)

    def late_events(self, day: dt.date, source: str, days_ago: int) -> None:
        """A file delivered today with (new) events of `days_ago` days ago: the rows of that
        day's file, 1 ms later (another event id)."""
        src = self.latest(f"{source}_event", day - dt.timedelta(days=days_ago))
        delim, rows = read_rows(src)
        col = rows[0].index("EventTimeStamp")
        late = [rows[0]] + [r[:col] + [str(int(r[col]) + 1)] + r[col + 1:]
                            for r in rows[1:] if len(r) == len(rows[0]) and r[col].isdigit()][:12]
        name = f"{source}_event_{ts(day, '093000')}.csv"
        write_rows(self.landing / name, delim, late)
        self.log.append(f"{day}: {name} = {len(late) - 1} events of {src.name} (+1 ms)")

    def resend(self, day: dt.date, prefix: str, days_ago: int) -> None:
        src = self.latest(prefix, day - dt.timedelta(days=days_ago))
        name = f"{prefix}_{ts(day, '080000')}.csv"
        shutil.copy2(src, self.landing / name)
        self.log.append(f"{day}: {name} = copy of {src.name}")

    def customer_changes(self, day: dt.date, first: int) -> None:
        """Changes to customers C<first>..C<first+4>: city, e-mail, consent, a delete."""
        delim, rows = self.full_load()
        h = {c: i for i, c in enumerate(rows[0])}
        wanted = {f"C{n:07d}" for n in range(first, first + 5)}
        out = [rows[0]]
        for r in rows[1:]:
            if len(r) != len(rows[0]) or r[h["SourceCustomerNumber"]] not in wanted:
                continue
            r = list(r)
            n = int(r[h["SourceCustomerNumber"]][1:]) - first
            r[h["City"]] = f"Newtown {day:%d}"
            r[h["DateModified"]] = f"{day}T01:00:00Z"
            if n == 1:
                r[h["Email"]] = f"moved.{r[0].lower()}.{day:%m%d}@example.com"
            if n == 2:
                r[h["Preferences"]] = "DNE=Y&DNC=N&DNS=Y"
            if n == 3:
                r[h["DeleteFlag"]] = "Y"
            if n == 4:
                r[h["LastName"]] = ""  # empty: does not erase the name
            out.append(r)
        name = f"crm_customer_{ts(day, '100000')}.csv"
        write_rows(self.landing / name, delim, out)
        self.log.append(f"{day}: {name} = {len(out) - 1} customer changes")

    def campaign_edit(self, day: dt.date) -> None:
        src = max(self.landing.glob("campaign_*.csv"), key=lambda p: p.name)
        delim, rows = read_rows(src)
        good = [r for r in rows[1:] if len(r) == len(rows[0]) and r[0]]
        h = {c: i for i, c in enumerate(rows[0])}
        edited = list(good[0])
        edited[h["Name"]] = edited[h["Name"]] + " (edited)"
        edited[h["EndDate"]] = (day + dt.timedelta(days=10)).isoformat()
        name = f"campaign_{ts(day, '110000')}.csv"
        write_rows(self.landing / name, delim, [rows[0], edited])
        self.log.append(f"{day}: {name} edits {edited[0]}")

    def replace(self, day: dt.date, prefix: str, days_ago: int) -> None:
        """The sender replaces a file it delivered `days_ago` days ago: last row dropped, a URL
        corrected (same name, other content: reloaded)."""
        path = self.landing / f"{prefix}_{ts(day - dt.timedelta(days=days_ago))}.csv"
        delim, rows = read_rows(path)
        rows = rows[:-1]
        col = rows[0].index("URL")
        for r in rows[1:]:
            if len(r) == len(rows[0]) and r[col]:
                r[col] = r[col] + "?corrected=1"
                break
        write_rows(path, delim, rows)
        self.replaced.setdefault(day, set()).add(path.name)
        self.log.append(f"{day}: {path.name} replaced (one row fewer, one URL corrected)")

    def archive(self, day: dt.date, prefix: str, days_ago: int) -> None:
        """The operator moves a loaded file out of the landing folder: its rows stay."""
        path = self.landing / f"{prefix}_{ts(day - dt.timedelta(days=days_ago))}.csv"
        shutil.move(path, self.archived / path.name)
        self.log.append(f"{day}: {path.name} archived away")

    def story_customers(self) -> dict[str, str]:
        """role -> customer of the consent story: customers of the full load (so sent to Braze
        and Klaviyo on day 1) with a well-formed email of their own, a mobile phone, no flag set,
        and no other consent signal in the world (in no other customer file, no subscription
        event or bounce by number or by email, not changed by customer_changes), in id order."""
        full = self.full_load_path()
        _, rows = self.full_load()
        h = {c: i for i, c in enumerate(rows[0])}

        def email_key(e: str) -> str:  # the generator's variants: case, spaces, gmail dots / +tag
            return e.strip().lower().split("@")[0].split("+")[0].replace(".", "")

        busy = {f"C{n:07d}" for acts in SCENARIO.values() for a in acts if a[0] == "customer_changes"
                for n in range(a[1], a[1] + 5)}
        for path in self.world.glob("*.csv"):
            parsed = parse_name(path.name)
            if not parsed or path == full or parsed[0] not in ("customer", "event"):
                continue
            _, other = read_rows(path)
            oh = {c.lower(): i for i, c in enumerate(other[0])}
            for r in other[1:]:
                if len(r) != len(other[0]):
                    continue
                if parsed[0] == "event" and r[oh["type"]].strip().lower() not in CONSENT_TYPES:
                    continue
                busy.add(r[oh["sourcecustomernumber"]].strip())
                if "email" in oh and r[oh["email"]].strip():
                    busy.add(email_key(r[oh["email"]]))
        emails = Counter(email_key(r[h["Email"]]) for r in rows[1:] if len(r) == len(rows[0]))
        fit = [r[0] for r in rows[1:] if len(r) == len(rows[0])
               and r[0] not in busy and email_key(r[h["Email"]]) not in busy and emails[email_key(r[h["Email"]])] == 1
               and re.fullmatch(r"[a-z0-9._+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+", r[h["Email"]].strip().lower())
               and r[h["Preferences"]] == "DNE=N&DNC=N&DNS=N" and r[h["DeleteFlag"]].strip().upper() != "Y"
               and r[h["MobilePhone"]].strip()]
        assert len(fit) >= len(CONSENT_ROLES), fit
        return dict(zip(CONSENT_ROLES, sorted(fit)))

    def full_load_path(self) -> Path:
        """The customer feed's full load: the world's first customer file."""
        return min(self.world.glob("customer_*.csv"), key=lambda p: p.name)

    def full_load(self) -> tuple[str, list[list[str]]]:
        """(delimiter, rows) of the full load, read once; callers copy a row before changing it."""
        if self._full_load is None:
            self._full_load = read_rows(self.full_load_path())
        return self._full_load

    def full_load_row(self, customer: str) -> tuple[str, list[str], list[str]]:
        delim, rows = self.full_load()
        return delim, rows[0], next(list(r) for r in rows[1:] if r and r[0] == customer)

    def consent_events(self, day: dt.date, *events: tuple) -> None:
        """Subscription events of story customers, in an esp / sms event file of today (the
        generator's columns, read from its file of the day): (role, type, hhmmss, identity
        "number" or "email" - a sign-up form knows only the address)."""
        by_source: dict[str, list[tuple]] = {}
        for event in events:
            by_source.setdefault("sms" if event[1].startswith("sms") else "esp", []).append(event)
        for source, items in by_source.items():
            delim, rows = read_rows(self.latest(f"{source}_event", day))
            header, out = rows[0], [rows[0]]
            for role, typ, hms, identity in items:
                customer = self.story[role]
                at = dt.datetime.combine(day, dt.datetime.strptime(hms, "%H%M%S").time())
                epoch_ms = int(at.replace(tzinfo=dt.timezone.utc).timestamp() * 1000)
                row = {c: "" for c in header}
                row.update(Type=typ, EventTimeStamp=str(epoch_ms))
                if identity == "email":
                    _, customer_header, customer_row = self.full_load_row(customer)
                    row["Email"] = customer_row[customer_header.index("Email")]
                else:
                    row["SourceCustomerNumber"] = customer
                out.append([row[c] for c in header])
                channel = "sms" if source == "sms" else "email"
                self.consent_log.append((customer, channel, at, "event", typ, day))
            name = f"{source}_event_{ts(day, '150000')}.csv"
            write_rows(self.landing / name, delim, out)
            self.log.append(f"{day}: {name} = consent events {items}")

    def consent_preferences(self, day: dt.date, role: str, flag: str, value: str) -> None:
        """A story customer's row again in the customer feed with one Preferences flag changed
        (the signal's time is the file's stamp)."""
        customer = self.story[role]
        delim, header, row = self.full_load_row(customer)
        h = {c: i for i, c in enumerate(header)}
        row[h["Preferences"]] = re.sub(rf"{flag}=[YN]", f"{flag}={value}", row[h["Preferences"]])
        row[h["DateModified"]] = f"{day}T01:00:00Z"
        name = f"crm_customer_{ts(day, '103000')}.csv"
        write_rows(self.landing / name, delim, [header, row])
        channel = "email" if flag == "DNE" else "sms"
        self.consent_log.append((customer, channel, dt.datetime.strptime(name[-18:-4], "%Y%m%d%H%M%S"),
                                 "preferences", f"{flag}={value}", day))
        self.log.append(f"{day}: {name} = {customer} {flag}={value}")

    def consent_delete(self, day: dt.date, role: str) -> None:
        customer = self.story[role]
        delim, header, row = self.full_load_row(customer)
        h = {c: i for i, c in enumerate(header)}
        row[h["DeleteFlag"]], row[h["DateModified"]] = "Y", f"{day}T01:00:00Z"
        name = f"crm_customer_{ts(day, '113000')}.csv"
        write_rows(self.landing / name, delim, [header, row])
        self.log.append(f"{day}: {name} = {customer} deleted")

    def consent_never_sent(self, day: dt.date) -> None:
        """A customer created at 09:00 and deleted at 16:00 the same day: no run ever saw it live."""
        delim, header, row = self.full_load_row(self.story["deleted_sent"])
        h = {c: i for i, c in enumerate(header)}
        row[h["SourceCustomerNumber"]] = NEVER_SENT_ID
        row[h["Email"]] = "never.sent.9000001@example.com"
        row[h["MobilePhone"]], row[h["PrimaryPhone"]] = "", ""
        row[h["DateCreated"]] = row[h["DateModified"]] = f"{day}T08:00:00Z"
        for hms, flag in (("090000", ""), ("160000", "Y")):
            row[h["DeleteFlag"]] = flag
            name = f"crm_customer_{ts(day, hms)}.csv"
            write_rows(self.landing / name, delim, [header, list(row)])
        self.log.append(f"{day}: {NEVER_SENT_ID} created at 09:00 and deleted at 16:00")

    def identity_customers(self) -> dict[str, str]:
        """role -> customer of the identity story: IDENTITY_ROLES are customers of the full load
        never deleted in the world, not changed by customer_changes, not of the consent story, in
        id order; "deleted" is IDENTITY_DELETED (deleted by the last customer_changes)."""
        _, rows = self.full_load()
        deleted = set()
        for path in self.world.glob("*.csv"):
            parsed = parse_name(path.name)
            if parsed and parsed[0] == "customer":
                _, other = read_rows(path)
                h = {c: i for i, c in enumerate(other[0])}
                deleted |= {r[0] for r in other[1:] if len(r) == len(other[0])  # parse_boolean's true
                            and r[h["DeleteFlag"]].strip().lower() in ("true", "1", "y", "yes", "t")}
        busy = {f"C{n:07d}" for acts in SCENARIO.values() for a in acts if a[0] == "customer_changes"
                for n in range(a[1], a[1] + 5)} | set(self.story.values()) | {NEVER_SENT_ID}
        live = sorted(r[0] for r in rows[1:] if len(r) == len(rows[0]) and r[0] not in deleted)
        fit = [c for c in live if c not in busy]
        assert IDENTITY_DELETED in live and len(fit) >= len(IDENTITY_ROLES), (IDENTITY_DELETED, fit)
        # the campaign and message of the landing URL are the world's (one of its e-mails)
        dispatches = {r[0]: r[1] for p in self.world.glob("dispatch_*.csv") for r in read_rows(p)[1][1:] if r}
        messages = {r[0]: r[1] for p in self.world.glob("message_*.csv") for r in read_rows(p)[1][1:] if r}
        assert dispatches.get(messages.get(IDENTITY_MESSAGE)) == IDENTITY_CAMPAIGN
        return {**dict(zip(IDENTITY_ROLES, fit)), "deleted": IDENTITY_DELETED}

    def identity_file(self, day: dt.date, index: int) -> None:
        """A web event file of the identity story (IDENTITY_FILES[index]), the generator's
        columns: anonymous events carry only Cookie and SessionID (no number, no e-mail)."""
        stamp, hms, delivered, events = IDENTITY_FILES[index]
        assert day == day_at(delivered)
        delim, rows = read_rows(self.latest("web_event", day_at(stamp)))
        header, out = rows[0], [rows[0]]
        for cookie_key, offset, at_hms, page, role, session in events:
            at = dt.datetime.combine(day_at(offset), dt.datetime.strptime(at_hms, "%H%M%S").time())
            event_type, url, product = IDENTITY_PAGES[page]
            event = IdentityEvent(IDENTITY_COOKIES[cookie_key], f"{IDENTITY_COOKIES[cookie_key]}-{session}", at,
                                  event_type, self.identity[role] if role else None, url, delivered)
            row = {c: "" for c in header}
            row.update(EventTimeStamp=str(int(at.replace(tzinfo=dt.timezone.utc).timestamp() * 1000)),
                       Type=event_type, SourceCustomerNumber=event.customer or "", Cookie=event.cookie,
                       SessionID=event.session_id, URL=url, SourceProductNumber=product, DeviceType="mobile")
            out.append([row[c] for c in header])
            self.identity_log.append(event)
        name = f"web_event_{ts(day_at(stamp), hms)}.csv"
        assert not (self.landing / name).exists() and not (self.world / name).exists(), name
        write_rows(self.landing / name, delim, out)
        self.log.append(f"{day}: {name} = identity story, {len(out) - 1} web events of "
                        f"{sorted({e[0] for e in events})}")

    def everything(self) -> Path:
        """A folder with every file delivered: the landing folder plus the archived files."""
        folder = self.landing.parent / "everything"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for path in [*self.archived.glob("*.csv"), *self.landing.glob("*.csv")]:
            shutil.copy2(path, folder / path.name)
        return folder

    def scope(self, as_of: dt.date) -> dict[str, dict[str, int]]:
        """entity -> {file: data rows} of the files delivered so far that a run for as_of
        sees (independent count): the landing folder's and the archived ones."""
        last = ts(as_of, "235959")
        out: dict[str, dict[str, int]] = {e: {} for e in BASE_TABLES}
        for path in sorted([*self.landing.glob("*.csv"), *self.archived.glob("*.csv")]):
            parsed = parse_name(path.name)
            if parsed and parsed[1] <= last:
                out[parsed[0]][path.name] = len(read_rows(path)[1]) - 1
        return out


# --- warehouses ----------------------------------------------------------------------------

def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def relations(con, alias: str) -> dict[str, list[tuple[str, str]]]:
    # Tables only: the views (intermediates a mart materializes) are functions of the tables.
    rows = con.execute(
        "select c.schema_name, c.table_name, c.column_name, c.data_type from duckdb_columns() as c "
        "join duckdb_tables() as t on c.database_name = t.database_name and c.schema_name = t.schema_name "
        "and c.table_name = t.table_name "
        f"where c.database_name = '{alias}' and c.schema_name in {SCHEMAS!r} "
        "order by c.schema_name, c.table_name, c.column_index"
    ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for schema, table, column, dtype in rows:
        out.setdefault(f"{schema}.{table}", []).append((column, dtype))
    return out


def compare(a: Path, b: Path, *, history: bool) -> list[str]:
    """Differences between two warehouses (one line each), every table of SCHEMAS compared as
    multisets with EXCEPT ALL both ways. history=False leaves out the send history (the
    ledger) and compares export_audit on b's as_of only, without its `sent` rows."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{a}' as wa (read_only)")
        con.execute(f"attach '{b}' as wb (read_only)")
        ra, rb = relations(con, "wa"), relations(con, "wb")
        diffs = []
        for name in sorted(set(ra) | set(rb)):
            table = name.split(".")[1]
            if not history and table == "export_ledger":
                continue
            if name not in ra or name not in rb:
                diffs.append(f"{name}: only in {'a' if name in ra else 'b'}")
                continue
            if ra[name] != rb[name]:
                diffs.append(f"{name}: columns differ {sorted(set(ra[name]) ^ set(rb[name]))}")
                continue
            where = ""
            # in_landing_folder differs by design: the reference folder still holds the
            # archived files; everything else of the audit must be equal. first_load_days of
            # the platform settings shows the var the reference run sets to 0 (module doc).
            by_design = {("ingestion_audit", "in_landing_folder")}
            if not history:
                by_design.add(("export_platform_settings", "first_load_days"))
                # the run date that wrote a base row: each day's own, the full refresh's last
                by_design.add((table, "loaded_as_of"))
            cols = ", ".join(f'"{c}"' for c, _ in ra[name] if (table, c) not in by_design)
            if not history and table == "export_audit":
                last = con.execute(f"select max(as_of) from wb.{name}").fetchone()[0]
                where = f" where as_of = date '{last}' and reason <> 'sent'"
            only_a = con.execute(f"select count(*) from (select {cols} from wa.{name}{where} "
                                 f"except all select {cols} from wb.{name}{where})").fetchone()[0]
            only_b = con.execute(f"select count(*) from (select {cols} from wb.{name}{where} "
                                 f"except all select {cols} from wa.{name}{where})").fetchone()[0]
            if only_a or only_b:
                sample = con.execute(f"select {cols} from wa.{name}{where} except all select {cols} from wb.{name}{where} "
                                     "limit 2").fetchall()
                diffs.append(f"{name}: {only_a} rows only in a, {only_b} only in b; e.g. {sample!r:.600}")
        return diffs
    finally:
        con.close()


def copy_db(src: Path, dest_dir: Path) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    for f in dest_dir.glob(src.name + "*"):
        shutil.rmtree(f) if f.is_dir() else f.unlink()
    # the database and its WAL, if any, and the landing reader's cache folder beside it
    for f in src.parent.glob(src.name + "*"):
        if f.is_dir():
            shutil.copytree(f, dest_dir / f.name)
        else:
            shutil.copy2(f, dest_dir / f.name)
    return dest_dir / src.name


def cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class Project:
    """dbt in-process from one parsed manifest; the database file is switched by folder."""

    def __init__(self, tmp: Path, landing: Path, parse_as_of: dt.date):
        from dbt.cli.main import dbtRunner

        self.tmp, self.target = tmp, tmp / "target"
        self.db = tmp / "daily" / "warehouse.duckdb"
        self.db.parent.mkdir()
        self.env = {
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "DBT_TARGET_PATH": str(self.target),
            "DBT_LOG_PATH": str(tmp / "logs"),
            "CLOSED_LOOP_DB": str(self.db),
            "CLOSED_LOOP_LANDING": str(landing),
            "CLOSED_LOOP_TARGET": "duckdb",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DO_NOT_TRACK": "1",
        }
        for var in ("DBT_PROJECT_DIR", "DBT_STATE", "DBT_DEFER"):
            os.environ.pop(var, None)
        os.environ.update(self.env)
        # Parsed with the vars of the killed CLI runs, so that those reuse this parse.
        parsed = dbtRunner().invoke(["parse", "--project-dir", str(PROJECT_DIR), "--quiet",
                                     "--vars", json.dumps({"as_of": parse_as_of.isoformat()})])
        assert parsed.success, parsed.exception
        self.runner = dbtRunner(manifest=parsed.result)

    def invoke(self, command: str, as_of: dt.date, *extra: str, db: Path | None = None,
               extra_vars: dict | None = None, check: bool = True, landing: Path | None = None) -> list[str]:
        """Runs dbt; fails the test when dbt fails, unless check=False: then returns the
        failed nodes and their messages (empty: success)."""
        os.environ["CLOSED_LOOP_DB"] = str(db or self.db)
        os.environ["CLOSED_LOOP_LANDING"] = str(landing or self.env["CLOSED_LOOP_LANDING"])
        try:
            result = self.runner.invoke(
                [command, "--project-dir", str(PROJECT_DIR), "--quiet", "--no-write-json",
                 "--log-level-file", os.environ.get("CLOSED_LOOP_OPS_LOG_LEVEL", "warn"),  # debug logs cost ~15% CPU
                 "--vars", json.dumps({"as_of": as_of.isoformat(), **(extra_vars or {})}), *extra])
        finally:
            os.environ["CLOSED_LOOP_DB"] = str(self.db)
            os.environ["CLOSED_LOOP_LANDING"] = self.env["CLOSED_LOOP_LANDING"]
            self._release_db()
        failed = [] if result.success else (
            [f"{r.node.unique_id}: {r.message}" for r in (result.result or [])
             if getattr(r, "status", None) in ("error", "fail")] or [str(result.exception)])
        if failed and check:
            pytest.fail(f"dbt {command} as_of {as_of} failed: {failed}")
        return failed

    @staticmethod
    def _release_db() -> None:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager

        env = DuckDBConnectionManager._ENV
        if env is not None:
            env.close()
            DuckDBConnectionManager._ENV = None

    def cli_killed(self, as_of: dt.date, after_models: int) -> dict:
        """`dbt run --selector daily` as a scheduler runs it, SIGKILLed once `after_models`
        models have finished."""
        env = {**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}
        cmd = [str(DBT), "run", "--selector", "daily", "--project-dir", str(PROJECT_DIR),
               "--vars", json.dumps({"as_of": as_of.isoformat()})]
        started = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        done, lines = 0, []
        try:
            for line in proc.stdout:
                lines.append(line.rstrip())
                if re.search(r"\d+ of \d+ (OK created|ERROR creating|SKIP relation)", line):
                    done += 1
                    if done >= after_models:
                        proc.send_signal(signal.SIGKILL)
                        break
        finally:
            proc.wait(timeout=600)
            proc.stdout.close()
        return {"returncode": proc.returncode, "models_done": done, "seconds": round(time.monotonic() - started, 1),
                "tail": lines[-3:]}


# --- the simulation ------------------------------------------------------------------------

def landing_view_files(db: Path) -> dict[str, set[str]]:
    """entity -> the landing files the last run's landing views hold: what its base models read
    (the views read the landing reader's canonical files of exactly those files)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {e: {r[0] for r in con.execute(f"select distinct _source_file from landing.{e}").fetchall()}
                for e in BASE_TABLES}
    finally:
        con.close()


def sent_to_settings() -> dict[str, set[str]]:
    """Per request platform (Braze / Klaviyo deletions) the platforms whose earlier sends make a
    request due: `sent_to` in the export models' YAML (config.meta.export)."""
    out = {}
    for path in (ROOT / "models" / "exports").glob("export_*.yml"):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            settings = (model.get("config") or {}).get("meta", {}).get("export") or {}
            if settings.get("sent_to"):
                out[settings["platform"]] = set(settings["sent_to"])
    return out


SENT_TO = sent_to_settings()


def record_identity(db: Path) -> dict[str, list[tuple]]:
    """The identity story's cookies in the marts of a warehouse: their events in fct_events,
    their stretches in dim_identity_map, their sessions in fct_web_sessions (sorted lists)."""
    cookies = "', '".join(IDENTITY_COOKIES.values())
    return {name: sorted(query(db, sql + f" where cookie in ('{cookies}')"), key=repr) for name, sql in (
        ("events", "select cookie, session_id, event_at, event_type, customer_id, customer_resolution "
                   "from marts.fct_events"),
        ("stretches", "select cookie, stretch_number, customer_id, valid_from, valid_to from marts.dim_identity_map"),
        ("sessions", "select cookie, session_id, customer_id, customer_resolution, channel_group, campaign_id, "
                     "message_id from marts.fct_web_sessions"))}


class Simulation:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.figures: dict = {"timings_s": {}, "cpu_s": {}, "days": []}
        self.problems: dict[str, list[str]] = {k: [] for k in (
            "base_integrity", "files_read", "ledger", "rerun", "kill", "full_refresh", "backfill",
            "final_build")}
        self.deltas: dict[dt.date, set[tuple]] = {}
        # the consent story's customers: what their Braze / Klaviyo subscription rows carried on
        # each day they were sent (the export rows the day's ledger rows record)
        self.consent_sent: dict[dt.date, dict[tuple[str, str], tuple]] = {}
        # the identity story's cookies in the marts after each day's run (record_identity)
        self.identity_seen: dict[dt.date, dict[str, list[tuple]]] = {}

    def timed(self, label: str, fn, *args, **kwargs):
        t0, c0 = time.monotonic(), cpu_seconds()
        result = fn(*args, **kwargs)
        self.figures["timings_s"][label] = round(self.figures["timings_s"].get(label, 0) + time.monotonic() - t0, 1)
        self.figures["cpu_s"][label] = round(self.figures["cpu_s"].get(label, 0) + cpu_seconds() - c0, 1)
        return result

    # per-day checks
    def loaded_files(self, db: Path) -> dict[str, set[str]]:
        if not db.exists():
            return {e: set() for e in BASE_TABLES}
        con = duckdb.connect(str(db), read_only=True)
        try:
            have = {r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'staging'").fetchall()}
            return {e: ({r[0] for r in con.execute(f"select distinct source_file from staging.{t}").fetchall()}
                        if t in have else set()) for e, t in BASE_TABLES.items()}
        finally:
            con.close()

    def check_base(self, day: dt.date, db: Path, label: str) -> None:
        """No duplicate, no gap: per file, the base table has each data row exactly once."""
        scope = self.landing.scope(day)
        con = duckdb.connect(str(db), read_only=True)
        try:
            for entity, table in BASE_TABLES.items():
                got = {f: (n, d) for f, n, d in con.execute(
                    f"select source_file, count(*), count(distinct source_row_number) from staging.{table} group by 1").fetchall()}
                expected = {f: (n, n) for f, n in scope[entity].items() if n > 0}
                if got != expected:
                    bad = sorted(set(got.items()) ^ set(expected.items()))[:4]
                    self.problems["base_integrity"].append(f"{label} {day} {table}: (file, (rows, distinct rows)) differ {bad}")
        finally:
            con.close()

    def check_files_read(self, day: dt.date, before: dict[str, set[str]], first_run: bool) -> dict:
        scope = self.landing.scope(day)
        replaced = self.landing.replaced.get(day, set())
        views = landing_view_files(self.project.db)
        in_folder = {p.name for p in self.landing.landing.glob("*.csv")}
        fig = {"as_of": day.isoformat(), "in_scope": 0, "new": 0, "replaced": 0, "read": 0}
        for entity, model in BASE_TABLES.items():
            files = set(scope[entity]) & in_folder
            new = {f for f in files if f not in before[entity]}
            changed = {f for f in files if f in replaced and f in before[entity]}
            read = views[entity]
            expected = files if first_run else new | changed
            if read != expected:
                self.problems["files_read"].append(
                    f"{day} {model}: read {sorted(read ^ expected)[:4]} differs from new + replaced")
            fig["in_scope"] += len(files)
            fig["new"] += len(new)
            fig["replaced"] += len(changed)
            fig["read"] += len(read)
        return fig

    def record_deltas(self, day: dt.date, db: Path) -> set[tuple]:
        """The ledger rows of the day (what that day's files carry: the writer writes the export
        rows the ledger records for the as_of), checked against the send-once rule worked out
        here from the export tables and the ledger rows of the earlier days: an event platform
        sends the keys of its export table never sent on an earlier day; Braze and Klaviyo the
        customers whose attributes_hash differs from the one last sent (new customers
        included); a platform whose file_status is not new sends nothing."""
        con = duckdb.connect(str(db), read_only=True)
        try:
            layout = con.execute("select distinct platform, model_name, grain from exports.export_layout").fetchall()
            status = dict(con.execute("select platform, file_status from exports.export_file_status").fetchall())
            earlier = [rows for d, rows in sorted(self.deltas.items()) if d < day]
            expected: set[tuple] = set()
            for platform, model, grain in layout:
                if status.get(platform) != "new":
                    continue
                if grain == "customer":
                    last_sent = {key: h for rows in earlier for p, key, h in rows if p == platform}
                    current = con.execute(f"select distinct export_key, attributes_hash from exports.{model}").fetchall()
                    expected |= {(platform, key, h) for key, h in current if last_sent.get(key) != h}
                else:
                    sent_before = {key for rows in earlier for p, key, _ in rows if p == platform}
                    current = con.execute(f"select distinct export_key from exports.{model}").fetchall()
                    keys = {key for (key,) in current if key not in sent_before}
                    receivers = SENT_TO.get(platform)
                    if receivers:  # a deletion request: only for a customer a receiver got earlier
                        keys &= {key for rows in earlier for p, key, _ in rows if p in receivers}
                    expected |= {(platform, key, None) for key in keys}
            ledger = set(con.execute("select platform, event_id, attributes_hash from exports.export_ledger "
                                     f"where first_sent_as_of = date '{day}'").fetchall())
        finally:
            con.close()
        if ledger != expected:
            self.problems["ledger"].append(
                f"{day}: ledger rows of the day != the send-once rule: {sorted(ledger ^ expected, key=str)[:4]}")
        return ledger

    def daily(self, offset: int, command: str = "run") -> None:
        day = day_at(offset)
        before = self.loaded_files(self.project.db)
        # The last day's build runs every data test: a failure is reported by its own test
        # and the other checks still run.
        self.problems["final_build"] += self.timed(
            "daily runs", self.project.invoke, command, day, "--selector", "daily", check=command != "build")
        fig = self.check_files_read(day, before, first_run=offset == 0)
        self.figures["days"].append(fig)
        self.check_base(day, self.project.db, "daily")
        self.deltas[day] = self.record_deltas(day, self.project.db)
        self.consent_sent[day] = self.record_consent_sent(day, self.project.db)
        self.identity_seen[day] = record_identity(self.project.db)

    def record_consent_sent(self, day: dt.date, db: Path) -> dict[tuple[str, str], tuple]:
        """(platform, customer) -> the row sent today, for the consent story's customers:
        Braze (email_subscribe, phone), Klaviyo subscriptions (consent)."""
        ids = "', '".join(sorted(self.landing.story.values()))
        con = duckdb.connect(str(db), read_only=True)
        try:
            rows = con.execute(
                "select 'braze', b.export_key, b.email_subscribe, b.phone from exports.export_braze as b "
                "join exports.export_ledger as l on l.platform = 'braze' and l.event_id = b.export_key "
                f"and l.attributes_hash = b.attributes_hash and l.first_sent_as_of = date '{day}' "
                f"where b.export_key in ('{ids}') union all "
                "select 'klaviyo_subscriptions', k.export_key, k.consent, null from exports.export_klaviyo_subscriptions as k "
                "join exports.export_ledger as l on l.platform = 'klaviyo_subscriptions' and l.event_id = k.export_key "
                f"and l.attributes_hash = k.attributes_hash and l.first_sent_as_of = date '{day}' "
                f"where k.export_key in ('{ids}')").fetchall()
        finally:
            con.close()
        return {(platform, key): tuple(values) for platform, key, *values in rows}

    def run(self) -> None:
        tmp = self.tmp
        world = tmp / "world" / "landing"
        self.timed("generate world", subprocess.run,
                   [sys.executable, str(GENERATOR), "--out", str(world), *WORLD_ARGS], check=True, capture_output=True)
        self.landing = Landing(world, tmp / "landing")
        self.project = self.timed("parse", Project, tmp, self.landing.landing, day_at(KILL_OFFSET))
        p = self.project
        self.timed("seed", p.invoke, "seed", FIRST_DAY)

        for offset in range(DAYS):
            day = day_at(offset)
            self.landing.deliver(offset)
            if offset == KILL_OFFSET:
                self.killed_day(offset)
            elif offset == DAYS - 1:
                self.daily(offset, "build")  # the last day with every test
            else:
                self.daily(offset)
            if offset == RERUN_OFFSET:
                self.rerun_day(offset)
            if offset == DAYS - 1 - BACKFILL_DAYS:
                copy_db(p.db, tmp / "backfill")

        self.figures["views_daily"] = sum(len(v) for v in landing_view_files(p.db).values())
        self.full_refresh()
        self.figures["views_full_refresh"] = sum(len(v) for v in landing_view_files(self.full_db).values())
        self.backfill()
        self.figures["scenario"] = self.landing.log

    def rerun_day(self, offset: int) -> None:
        day = day_at(offset)
        first = copy_db(self.project.db, self.tmp / "rerun_first")
        self.timed("re-run", self.project.invoke, "run", day, "--selector", "daily")
        self.check_base(day, self.project.db, "re-run")
        self.problems["rerun"] += self.timed("compare", compare, first, self.project.db, history=True)
        if self.record_deltas(day, self.project.db) != self.deltas[day]:
            self.problems["rerun"].append(f"{day}: the re-run sent other rows")

    def killed_day(self, offset: int) -> None:
        day, p = day_at(offset), self.project
        reference = copy_db(p.db, self.tmp / "uninterrupted")
        self.timed("uninterrupted reference run", p.invoke, "run", day, "--selector", "daily", db=reference)
        kills = [self.timed("killed runs", p.cli_killed, day, n) for n in KILL_AFTER_MODELS]
        self.figures["kills"] = kills
        for k, n in zip(kills, KILL_AFTER_MODELS):
            if k["returncode"] != -signal.SIGKILL or k["models_done"] < n:
                self.problems["kill"].append(f"the run was not killed half way: {k}")
        self.daily(offset)  # the retry
        self.problems["kill"] += self.timed("compare", compare, reference, p.db, history=True)

    def full_refresh(self) -> None:
        p = self.project
        self.full_db = self.tmp / "full_refresh" / "warehouse.duckdb"
        self.full_db.parent.mkdir()
        everything = self.landing.everything()
        self.timed("full refresh", p.invoke, "seed", LAST_DAY, db=self.full_db, landing=everything)
        self.timed("full refresh", p.invoke, "run", LAST_DAY, "--selector", "daily", "--full-refresh",
                   db=self.full_db, extra_vars=REFERENCE_VARS, landing=everything)
        self.check_base(LAST_DAY, self.full_db, "full refresh")
        self.problems["full_refresh"] += self.timed("compare", compare, p.db, self.full_db, history=False)

    def backfill(self) -> None:
        db = self.tmp / "backfill" / "warehouse.duckdb"
        for offset in range(DAYS - BACKFILL_DAYS, DAYS):
            self.timed("backfill", self.project.invoke, "run", day_at(offset), "--selector", "daily", db=db)
            self.check_base(day_at(offset), db, "backfill")
        self.problems["backfill"] += self.timed("compare", compare, db, self.full_db, history=False)


@pytest.fixture(scope="module")
def simulation(tmp_path_factory) -> Simulation:
    saved = dict(os.environ)
    sim = Simulation(tmp_path_factory.mktemp("daily_operation"))
    started = time.monotonic()
    try:
        sim.run()
    finally:
        os.environ.clear()
        os.environ.update(saved)
        sim.figures["timings_s"]["total"] = round(time.monotonic() - started, 1)
        text = json.dumps(sim.figures, indent=1, default=str)
        (sim.tmp / "figures.json").write_text(text)
        if os.environ.get("CLOSED_LOOP_OPS_FIGURES"):
            Path(os.environ["CLOSED_LOOP_OPS_FIGURES"]).write_text(text)
    return sim


# --- tests ---------------------------------------------------------------------------------

def test_thirty_daily_runs_equal_a_full_refresh(simulation):
    assert simulation.problems["full_refresh"] == []
    days = simulation.figures["days"]
    assert len({d["as_of"] for d in days}) == DAYS


def test_last_daily_build_passes_every_data_test(simulation):
    assert simulation.problems["final_build"] == []


def test_every_run_holds_every_file_row_once(simulation):
    """No duplicate, no gap in the base tables after every run (daily, re-run, retry after a
    kill, full refresh, backfill)."""
    assert simulation.problems["base_integrity"] == []


def test_send_history_ledger_is_the_union_of_the_deltas(simulation):
    assert simulation.problems["ledger"] == []
    ledger = set(query(simulation.project.db, "select platform, event_id, attributes_hash, first_sent_as_of "
                                              "from exports.export_ledger"))
    union = {(*row, day) for day, rows in simulation.deltas.items() for row in rows}
    assert ledger == union
    assert any(rows for rows in simulation.deltas.values()), "nothing was ever sent"
    # an event (any platform but the customer snapshots) is sent on one day only
    sent_on = Counter((platform, key) for day, rows in simulation.deltas.items()
                      for platform, key, attributes_hash in rows if attributes_hash is None)
    assert sorted(k for k, n in sent_on.items() if n > 1) == []


def test_rerunning_a_day_changes_nothing(simulation):
    assert simulation.problems["rerun"] == []


def test_killed_runs_then_retry_equal_an_uninterrupted_run(simulation):
    assert simulation.problems["kill"] == []


def test_backfill_in_order_equals_a_full_refresh(simulation):
    assert simulation.problems["backfill"] == []


def test_daily_runs_read_only_new_and_replaced_files(simulation):
    assert simulation.problems["files_read"] == []
    assert any(d["replaced"] for d in simulation.figures["days"]), "no replaced file was reloaded"
    daily = simulation.figures["views_daily"]
    full = simulation.figures["views_full_refresh"]
    # the last day reads a few days of files, a full refresh the whole 38-day history
    assert 0 < daily and daily * 4 < full, (daily, full)


# --- the consent story (issue 15) -------------------------------------------------------------

def expected_changes(landing: Landing) -> dict[tuple[str, str], list[tuple]]:
    """(customer, channel) -> the state changes the story wrote, in time order (the latest signal
    wins; the state before any signal is `subscribed`; a signal repeating the state is none)."""
    out: dict[tuple[str, str], list[tuple]] = {}
    for customer, channel, at, source, typ, _ in sorted(landing.consent_log, key=lambda e: e[2]):
        changes = out.setdefault((customer, channel), [])
        previous = changes[-1][2] if changes else "subscribed"
        if SIGNAL_STATE[typ] != previous:
            changes.append((at, previous, SIGNAL_STATE[typ], source, typ))
    return out


def state_on(landing: Landing, customer: str, channel: str, day: dt.date) -> str | None:
    """The state at the end of `day` (None: no signal yet)."""
    changes = [c for c in expected_changes(landing).get((customer, channel), []) if c[0].date() <= day]
    return changes[-1][2] if changes else None


def test_consent_story_marts_show_the_final_states(simulation):
    landing, story = simulation.landing, simulation.landing.story
    ids = "', '".join(sorted([*story.values(), NEVER_SENT_ID]))
    changes = query(simulation.project.db, "select customer_id, channel, changed_at, previous_state, "
                    "subscription_state, change_source, change_type from marts.fct_subscription_changes "
                    f"where customer_id in ('{ids}') order by customer_id, channel, signal_sequence")
    got: dict[tuple[str, str], list[tuple]] = {}
    for customer, channel, *change in changes:
        got.setdefault((customer, channel), []).append(tuple(change))
    expected = {k: v for k, v in expected_changes(landing).items() if k[0] != story["deleted_sent"]}
    assert got == expected
    # spelled out: the final state of each story customer
    final = {(c, ch): (state, source, signal_type) for c, ch, state, source, signal_type in query(
        simulation.project.db, "select customer_id, channel, subscription_state, state_source, state_signal_type "
        f"from marts.dim_customer_subscriptions where customer_id in ('{ids}')")}
    assert final == {
        (story["across_days"], "email"): ("opted_in", "event", "emailSubscribe"),
        (story["across_days"], "sms"): ("subscribed", "default", None),
        (story["same_day"], "email"): ("opted_in", "event", "emailSubscribe"),
        (story["same_day"], "sms"): ("subscribed", "default", None),
        (story["sms_unsubscribed"], "email"): ("subscribed", "default", None),
        (story["sms_unsubscribed"], "sms"): ("unsubscribed", "event", "smsUnsubscribe"),
        (story["dnc"], "email"): ("subscribed", "default", None),
        (story["dnc"], "sms"): ("unsubscribed", "preferences", "DNC=Y"),
        (story["dne_then_event"], "email"): ("opted_in", "event", "emailSubscribe"),
        (story["dne_then_event"], "sms"): ("subscribed", "default", None),
        # deleted customers have no subscription state
    }


def test_consent_story_sent_each_change_once_on_its_day(simulation):
    landing, story, sent = simulation.landing, simulation.landing.story, simulation.consent_sent
    days = sorted(sent)
    # a precondition of the story: every story customer was sent to Braze and Klaviyo on day 1
    first = {(p, k) for p, k, _ in simulation.deltas[FIRST_DAY]}
    assert {(p, c) for c in story.values() for p in ("braze", "klaviyo")} <= first
    consent = {"unsubscribed": "UNSUBSCRIBED", "opted_in": "SUBSCRIBED"}
    for role in ("across_days", "same_day", "dne_then_event"):
        customer = story[role]
        klaviyo = [(day, sent[day][("klaviyo_subscriptions", customer)][0]) for day in days
                   if ("klaviyo_subscriptions", customer) in sent[day]]
        # one row per day whose end-of-day email state differs from the one sent before
        expected, last = [], None
        for day in days:
            state = state_on(landing, customer, "email", day)
            if state is not None and consent[state] != last:
                expected.append((day, consent[state]))
                last = consent[state]
        assert klaviyo == expected, role
        # Braze: each day an email change happened it was sent, and whatever Braze got on a day
        # carried the email state of that day
        braze = {day: sent[day][("braze", customer)] for day in days if ("braze", customer) in sent[day]}
        changed = {c[0].date() for c in expected_changes(landing)[(customer, "email")]}
        assert changed <= set(braze), role
        assert {day: v[0] for day, v in braze.items()} == {
            day: state_on(landing, customer, "email", day) for day in braze}, role
    # spelled out: the days of the story (CONSENT_SCENARIO)
    assert [day for day in days if ("klaviyo_subscriptions", story["across_days"]) in sent[day]] \
        == [day_at(7), day_at(15)]
    assert [day for day in days if ("klaviyo_subscriptions", story["dne_then_event"]) in sent[day]] \
        == [day_at(9), day_at(27)]
    assert [day for day in days if ("klaviyo_subscriptions", story["same_day"]) in sent[day]] == [day_at(10)]
    # re-subscribed customers are Klaviyo profiles again (DNE=Y stays in the customer feed)
    for role in ("across_days", "dne_then_event"):
        assert query(simulation.project.db, "select count(*) from exports.export_klaviyo "
                     f"where external_id = '{story[role]}'") == [(1,)], role
    # SMS opt-outs are no email opt-out (no Klaviyo subscription row); Braze gets the phone
    # cleared from that day on (no SMS subscription group id is set)
    for role, offset in (("sms_unsubscribed", 12), ("dnc", 14)):
        customer = story[role]
        assert all(("klaviyo_subscriptions", customer) not in sent[day] for day in days), role
        braze = {day: sent[day][("braze", customer)] for day in days if ("braze", customer) in sent[day]}
        assert day_at(offset) in braze, role
        assert all((v[1] is None) == (day >= day_at(offset)) for day, v in braze.items()), (role, braze)


def test_consent_story_deletion_requests_once_only_for_sent_customers(simulation):
    story, deltas = simulation.landing.story, simulation.deltas
    requests = sorted((day, platform, key) for day, rows in deltas.items() for platform, key, _ in rows
                      if platform in SENT_TO and key in (story["deleted_sent"], NEVER_SENT_ID))
    # the run of the day the delete is delivered sends the requests (its file is in scope)
    assert requests == [(day_at(20), "braze_user_delete", story["deleted_sent"]),
                        (day_at(20), "klaviyo_data_privacy_deletion", story["deleted_sent"])]
    # the deleted customer is no longer sent as a profile; the never-sent one never was
    assert [(day, p) for day, rows in deltas.items() for p, key, _ in rows
            if (key == story["deleted_sent"] and day >= day_at(20) and p not in SENT_TO) or key == NEVER_SENT_ID] == []
    # the never-sent customer is a deletion candidate all the same: the ledger holds it back
    for model in ("export_braze_user_delete", "export_klaviyo_data_privacy_deletion"):
        assert query(simulation.project.db, f"select count(*) from exports.{model} "
                     f"where export_key = '{NEVER_SENT_ID}'") == [(1,)], model


# --- the identity story (anonymous web visitors) ------------------------------------------------

ERASED = "(erased)"  # the owner of a deleted customer's stretch: nobody


def identity_expected(landing: Landing, offset: int) -> dict[str, list[tuple]]:
    """What record_identity should see after the run of day `offset`, worked out from the story's
    events delivered by then (docs/marts.md#identity-stitching): a cookie's logins in time order
    form stretches, one per owner (a new owner starts a new one, valid until the next owner's
    first login); an anonymous event belongs to the stretch it falls in, or before the first
    login to the first owner within identity_back_stitch_days (30); a deleted owner (the
    delete is delivered on IDENTITY_DELETE_OFFSET) stitches to nobody: its events, its own
    login included, leave fct_events and its stretch dim_identity_map. Sessions: the customer
    of the latest event with one, 'identified' when an event names it itself; channel and
    campaign from the landing URL (the session's first event)."""
    events = sorted((e for e in landing.identity_log if e.delivered <= offset), key=lambda e: e.at)
    deleted = {IDENTITY_DELETED} if offset >= IDENTITY_DELETE_OFFSET else set()
    back_stitch = dt.timedelta(days=30)
    out: dict[str, list[tuple]] = {"events": [], "stretches": [], "sessions": []}
    rows: dict[str, list[tuple]] = {}  # session -> (at, customer, resolution, url) of its events in fct_events
    for cookie in sorted({e.cookie for e in events}):
        stretches: list[list] = []  # [owner, valid_from]
        for e in events:
            if e.cookie == cookie and e.customer:
                owner = ERASED if e.customer in deleted else e.customer
                if not stretches or stretches[-1][0] != owner:
                    stretches.append([owner, e.at])
        bounds = [(owner, valid_from - (back_stitch if n == 0 else dt.timedelta(0)), valid_from,
                   stretches[n + 1][1] if n + 1 < len(stretches) else None)
                  for n, (owner, valid_from) in enumerate(stretches)]
        out["stretches"] += [(cookie, n + 1, owner, valid_from, valid_to)
                             for n, (owner, _, valid_from, valid_to) in enumerate(bounds) if owner != ERASED]
        for e in (e for e in events if e.cookie == cookie):
            if e.customer:
                customer, resolution = (ERASED, None) if e.customer in deleted else (e.customer, "customer_number")
            else:
                customer = next((owner for owner, low, _, high in bounds
                                 if low <= e.at and (high is None or e.at < high)), None)
                resolution = "cookie" if customer else "unresolved"
            if customer == ERASED:
                continue
            out["events"].append((cookie, e.session_id, e.at, e.event_type, customer, resolution))
            rows.setdefault(e.session_id, []).append((e.at, customer, resolution, e.url))
    for e in events:
        session = rows.pop(e.session_id, None)
        if session is None:
            continue
        customer = next((c for _, c, _, _ in reversed(session) if c), None)
        resolution = ("anonymous" if customer is None else
                      "identified" if any(r == "customer_number" for _, _, r, _ in session) else "cookie")
        from_email = "utm_source=email" in session[0][3]
        out["sessions"].append((e.cookie, e.session_id, customer, resolution, "Email" if from_email else "Direct",
                                IDENTITY_CAMPAIGN if from_email else None, IDENTITY_MESSAGE if from_email else None))
    return {name: sorted(values, key=repr) for name, values in out.items()}


def story_at(offset: int, hms: str) -> dt.datetime:
    return dt.datetime.combine(day_at(offset), dt.datetime.strptime(hms, "%H%M%S").time())


def test_identity_story_stitches_late_identifications_every_day(simulation):
    """After every daily run the story's cookies show what the identifications delivered so far
    say: nothing before a login's (late) file arrives, the login's customer from that run on."""
    landing = simulation.landing
    assert sorted(simulation.identity_seen) == [day_at(o) for o in range(DAYS)]
    for offset in range(DAYS):
        assert simulation.identity_seen[day_at(offset)] == identity_expected(landing, offset), day_at(offset)


def test_identity_story_was_unresolved_until_the_late_login_arrived(simulation):
    """Spelled out: the day before a late login's file arrives, and the day it does."""
    seen, who = simulation.identity_seen, simulation.landing.identity

    def anonymous(offset: int, cookie: str, *event_days: int) -> set[tuple]:
        return {(customer, resolution) for c, _, at, typ, customer, resolution in seen[day_at(offset)]["events"]
                if c == IDENTITY_COOKIES[cookie] and typ != "login"
                and at.date() in {day_at(o) for o in event_days}}

    # the late login (day 6, its file delivered on day 11): the visits of days 4, 5 and 7
    assert anonymous(10, "late", 4, 5, 7) == {(None, "unresolved")}
    assert anonymous(11, "late", 4, 5, 7) == {(who["late"], "cookie")}
    landing_session = IDENTITY_COOKIES["late"] + "-a"
    assert [s[2:4] for s in seen[day_at(10)]["sessions"] if s[1] == landing_session] == [(None, "anonymous")]
    assert [s[2:4] for s in seen[day_at(11)]["sessions"] if s[1] == landing_session] == [(who["late"], "cookie")]
    # the held-back login (day 7, delivered on day 13 under its name): the visit of day 5
    assert anonymous(12, "held_back", 5) == {(None, "unresolved")}
    assert anonymous(13, "held_back", 5) == {(who["held_back"], "cookie")}
    # the shared cookie: the visit of day 9 is A's until B's login (day 8) arrives on day 15
    assert anonymous(14, "shared", 9) == {(who["shared_first"], "cookie")}
    assert anonymous(15, "shared", 9) == {(who["shared_second"], "cookie")}
    assert anonymous(15, "shared", 4, 6) == {(who["shared_first"], "cookie")}
    assert [s[1:] for s in seen[day_at(14)]["stretches"] if s[0] == IDENTITY_COOKIES["shared"]] == [
        (1, who["shared_first"], story_at(5, "090000"), None)]
    # the deleted customer's visits: stitched until the delete arrives, then gone
    assert anonymous(IDENTITY_DELETE_OFFSET - 1, "deleted", 5, 7) == {(IDENTITY_DELETED, "cookie")}
    assert anonymous(IDENTITY_DELETE_OFFSET, "deleted", 5, 7) == set()


def test_identity_story_final_warehouse(simulation):
    """Spelled out: the story's cookies in the last day's warehouse, and in the full refresh."""
    db, who = simulation.project.db, simulation.landing.identity
    late, held_back, shared, deleted = (IDENTITY_COOKIES[k] for k in ("late", "held_back", "shared", "deleted"))
    a, b = who["shared_first"], who["shared_second"]
    seen = record_identity(db)
    assert seen == simulation.identity_seen[LAST_DAY]
    assert {(c, at.date(), typ, customer, resolution) for c, _, at, typ, customer, resolution in seen["events"]} == {
        (late, day_at(4), "categoryBrowsed", who["late"], "cookie"),
        (late, day_at(4), "productBrowsed", who["late"], "cookie"),
        (late, day_at(5), "productBrowsed", who["late"], "cookie"),
        (late, day_at(6), "login", who["late"], "customer_number"),
        (late, day_at(7), "productBrowsed", who["late"], "cookie"),
        (held_back, day_at(5), "categoryBrowsed", who["held_back"], "cookie"),
        (held_back, day_at(5), "productBrowsed", who["held_back"], "cookie"),
        (held_back, day_at(7), "login", who["held_back"], "customer_number"),
        (shared, day_at(4), "categoryBrowsed", a, "cookie"),  # back-stitched to the first owner
        (shared, day_at(5), "login", a, "customer_number"),
        (shared, day_at(6), "productBrowsed", a, "cookie"),
        (shared, day_at(8), "login", b, "customer_number"),
        (shared, day_at(9), "categoryBrowsed", b, "cookie"),
        (shared, day_at(9), "productBrowsed", b, "cookie"),
        (shared, day_at(17), "productBrowsed", b, "cookie"),
    }
    assert len(seen["events"]) == 15
    assert seen["stretches"] == [
        (held_back, 1, who["held_back"], story_at(7, "190000"), None),
        (late, 1, who["late"], story_at(6, "200000"), None),
        (shared, 1, a, story_at(5, "090000"), story_at(8, "203000")),
        (shared, 2, b, story_at(8, "203000"), None),
    ]
    # the deleted customer's cookie: its stretch stitches to nobody, its events are erased
    cookie_owners = query(db, "select stretch_number, customer_id, is_owner_erased "
                              f"from intermediate.int_identity__cookie_owners where cookie = '{deleted}'")
    assert cookie_owners == [(1, None, True)]
    assert sorted(query(db, "select event_type, customer_id, customer_resolution "
                            f"from intermediate.int_events__customer_resolved where cookie = '{deleted}'")) == [
        ("categoryBrowsed", None, "erased"), ("login", None, "erased"), ("productBrowsed", None, "erased")]
    # sessions: the landings from the e-mail carry the stitched customer and the campaign
    email = ("Email", IDENTITY_CAMPAIGN, IDENTITY_MESSAGE)
    assert {s[1:] for s in seen["sessions"]} == {
        (late + "-a", who["late"], "cookie", *email), (late + "-b", who["late"], "cookie", "Direct", None, None),
        (late + "-c", who["late"], "identified", "Direct", None, None),
        (late + "-d", who["late"], "cookie", "Direct", None, None),
        (held_back + "-a", who["held_back"], "cookie", *email),
        (held_back + "-b", who["held_back"], "identified", "Direct", None, None),
        (shared + "-a", a, "cookie", *email), (shared + "-b", a, "identified", "Direct", None, None),
        (shared + "-c", a, "cookie", "Direct", None, None), (shared + "-d", b, "identified", "Direct", None, None),
        (shared + "-e", b, "cookie", *email), (shared + "-f", b, "cookie", "Direct", None, None),
    }
    # the full refresh over every file holds the same rows (and compared every table with them)
    assert record_identity(simulation.full_db) == seen
    con = duckdb.connect()
    try:
        con.execute(f"attach '{simulation.full_db}' as wb (read_only)")
        compared = set(relations(con, "wb"))
    finally:
        con.close()
    assert {"intermediate.int_identity__cookie_owners", "marts.dim_identity_map", "marts.fct_web_sessions",
            "marts.rpt_web_sessions_daily"} <= compared


@pytest.mark.parametrize("args", [
    {"FROM": "", "TO": ""},
    {"FROM": "2026-11-03", "TO": "2026-11-01"},    # backwards
    {"FROM": "2026-11-1", "TO": "2026-11-03"},     # not YYYY-MM-DD
    {"FROM": "2026-13-01", "TO": "2026-13-02"},    # not a date
])
def test_make_backfill_refuses_a_bad_range_before_running_anything(args):
    proc = subprocess.run(["make", "--no-print-directory", "backfill", *(f"{k}={v}" for k, v in args.items())],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "usage: make backfill" in proc.stdout
    assert "== as_of" not in proc.stdout


def test_make_daily_refuses_a_bad_as_of():
    proc = subprocess.run(["make", "--no-print-directory", "daily", "AS_OF=2026-11-2"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "AS_OF must be a date YYYY-MM-DD" in proc.stdout
