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
# Killed runs: SIGKILL after this many finished models (2 threads: a few base models are
# loading at the first kill; the second one is in the marts).
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


class Landing:
    """The landing folder, filled day by day from the generated world."""

    def __init__(self, world: Path, landing: Path):
        self.world, self.landing = world, landing
        landing.mkdir(parents=True)
        self.archived = landing.parent / "archived"
        self.archived.mkdir()
        self.log: list[str] = []
        self.replaced: dict[dt.date, set[str]] = {}

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
        src = min(self.world.glob("customer_*.csv"), key=lambda p: p.name)  # the full load
        delim, rows = read_rows(src)
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


class Simulation:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.figures: dict = {"timings_s": {}, "cpu_s": {}, "days": []}
        self.problems: dict[str, list[str]] = {k: [] for k in (
            "base_integrity", "files_read", "ledger", "rerun", "kill", "full_refresh", "backfill",
            "final_build")}
        self.deltas: dict[dt.date, set[tuple]] = {}

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
