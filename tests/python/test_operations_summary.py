"""The end-of-run summary (scripts/run_summary.py) and how `make run` / `make daily` use it.

The summary reads a small DuckDB warehouse written here, in two shapes: today's audit tables
(no file_status, rejected_rows.reason, no export readiness) and the shape announced for issue
11 (ingestion_audit.file_status / quarantine_reason, rejected_rows.reject_reason /
reject_column, export_audit.is_ready / not_ready_reason). The Makefile's orchestration is
tested with stand-ins for dbt and the export writer (BIN= on make's command line), so no dbt
build runs here: the order of the steps and the exit codes are what is checked.
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "run_summary.py"
AS_OF = "2026-11-02"
QUARANTINED_FILE = "web_event_20261102060000.csv"


def make_warehouse(path: Path, *, new_schema: bool, quarantine: bool = False,
                   tables: tuple[str, ...] = ("ingestion_audit", "rejected_rows", "export_audit")) -> Path:
    """A warehouse with the audit tables of a run on AS_OF (hand-written rows)."""
    con = duckdb.connect(str(path))
    con.execute("create schema audit; create schema exports")
    files = [  # entity, file, read, accepted, rejected, status, quarantine reason
        ("event", "esp_event_20261101060000.csv", 10, 8, 2, "loaded", None),
        ("event", "esp_event_20261102060000.csv", 6, 5, 1, "loaded", None),
        ("customer", "crm_customer_20261102060000.csv", 4, 4, 0, "loaded", None),
        ("campaign", "campaign_20261026060000.csv", 3, 2, 1, "loaded", None),
    ]
    if quarantine:
        files.append(("event", QUARANTINED_FILE, 0, 0, 0, "quarantined", "invalid_encoding"))
    if "ingestion_audit" in tables:
        extra = ", file_status varchar, quarantine_reason varchar" if new_schema else ""
        con.execute("create table audit.ingestion_audit (ingestion_audit_id varchar, entity varchar, "
                    f"source_file varchar, rows_read bigint, rows_accepted bigint, rows_rejected bigint{extra})")
        for e, f, r, a, j, s, q in files:
            values = [f"{e}:{f}", e, f, r, a, j] + ([s, q] if new_schema else [])
            con.execute(f"insert into audit.ingestion_audit values ({', '.join('?' * len(values))})", values)
    if "rejected_rows" in tables:
        reason = "reject_reason" if new_schema else "reason"
        extra = ", reject_column varchar" if new_schema else ""
        con.execute(f"create table audit.rejected_rows (rejected_row_id varchar, entity varchar, source_file varchar, "
                    f"row_number bigint, {reason} varchar, raw varchar{extra})")
        rejects = [("event", "esp_event_20261101060000.csv", 1, "invalid_timestamp", "EventTimeStamp"),
                   ("event", "esp_event_20261101060000.csv", 2, "invalid_timestamp", "EventTimeStamp"),
                   ("event", "esp_event_20261102060000.csv", 3, "missing_identity", None),
                   ("campaign", "campaign_20261026060000.csv", 2, "invalid_boolean", "DeleteFlag")]
        for e, f, n, why, col in rejects:
            values = [f"{e}{f}{n}", e, f, n, why, "{}"] + ([col] if new_schema else [])
            con.execute(f"insert into audit.rejected_rows values ({', '.join('?' * len(values))})", values)
    if "export_audit" in tables:
        extra = ", is_ready boolean, not_ready_reason varchar" if new_schema else ""
        con.execute("create table exports.export_audit (platform varchar, as_of date, reason varchar, "
                    f"row_count bigint{extra})")
        rows = [("meta", AS_OF, "exported", 12), ("meta", AS_OF, "sent", 7), ("meta", AS_OF, "do_not_sell", 2),
                ("tiktok", AS_OF, "exported", 0), ("tiktok", AS_OF, "sent", 0),
                ("meta", "2026-11-01", "sent", 99)]
        for p, d, why, n in rows:
            ready = [p != "tiktok", None if p != "tiktok" else "export_tiktok_event_source_id is empty"]
            values = [p, d, why, n] + (ready if new_schema else [])
            con.execute(f"insert into exports.export_audit values ({', '.join('?' * len(values))})", values)
    con.close()
    return path


def summary(db: Path, *args: str, as_of: str = AS_OF) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--as-of", as_of, "--db", str(db), *args],
                          capture_output=True, text=True, cwd=ROOT)


def test_todays_warehouse_is_summarised_and_missing_columns_are_named(tmp_path):
    db = make_warehouse(tmp_path / "w.duckdb", new_schema=False)
    proc = summary(db)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "files: 4 in scope, 4 loaded, 0 quarantined; 2 stamped 2026-11-02" in out
    assert "no ingestion_audit.file_status" in out
    event = next(line for line in out.splitlines() if line.strip().startswith("event "))
    assert "13 / 3" in event and "invalid_timestamp 2, missing_identity 1" in event
    # export rows of this as_of only (the 99 of 2026-11-01 is another run)
    assert "meta 7, tiktok 0" in out and "99" not in out
    assert "no export_audit.is_ready" in out
    assert out.strip().splitlines()[-1] == "status: OK"
    assert "audit.rejected_rows" in out and "audit.ingestion_audit" in out and "exports.export_audit" in out


def test_quarantined_file_is_named_and_exits_3(tmp_path):
    db = make_warehouse(tmp_path / "w.duckdb", new_schema=True, quarantine=True)
    proc = summary(db)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    out = proc.stdout
    assert "5 in scope, 4 loaded, 1 quarantined" in out
    assert f"QUARANTINED: {QUARANTINED_FILE} (invalid_encoding)" in out
    assert "invalid_timestamp(EventTimeStamp) 2" in out          # reason with its column
    assert "platforms not ready: tiktok (export_tiktok_event_source_id is empty)" in out
    assert "exit 3" in out.splitlines()[-1]


def test_new_schema_without_quarantine_exits_0(tmp_path):
    db = make_warehouse(tmp_path / "w.duckdb", new_schema=True)
    proc = summary(db)
    assert proc.returncode == 0, proc.stdout
    assert "0 quarantined" in proc.stdout and "QUARANTINED" not in proc.stdout


def test_stop_on_quarantine_is_silent_when_clean_and_stops_when_not(tmp_path):
    clean = summary(make_warehouse(tmp_path / "clean.duckdb", new_schema=True), "--stop-on-quarantine")
    assert (clean.returncode, clean.stdout) == (0, "")
    dirty = summary(make_warehouse(tmp_path / "dirty.duckdb", new_schema=True, quarantine=True),
                    "--stop-on-quarantine")
    assert dirty.returncode == 3
    assert QUARANTINED_FILE in dirty.stdout and "STOPPED before the export files" in dirty.stdout


def test_missing_tables_degrade_to_a_line_each(tmp_path):
    db = make_warehouse(tmp_path / "w.duckdb", new_schema=True, tables=())
    proc = summary(db)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "audit.ingestion_audit is not built" in proc.stdout
    assert "exports.export_audit is not built" in proc.stdout


def test_an_empty_scope_is_a_warning(tmp_path):
    db = make_warehouse(tmp_path / "w.duckdb", new_schema=True)
    con = duckdb.connect(str(db))
    con.execute("delete from audit.ingestion_audit")
    con.close()
    proc = summary(db)
    assert proc.returncode == 0
    assert "files: 0 in scope" in proc.stdout and "WARNING: no landing file in scope" in proc.stdout
    assert "WARNING" not in summary(make_warehouse(tmp_path / "w2.duckdb", new_schema=True)).stdout


def test_failed_run_status_and_missing_warehouse(tmp_path):
    db = make_warehouse(tmp_path / "w.duckdb", new_schema=False)
    proc = summary(db, "--failed", "dbt build exited 1")
    assert proc.stdout.strip().splitlines()[-1] == "status: FAILED: dbt build exited 1"
    missing = summary(tmp_path / "nowhere.duckdb")
    assert missing.returncode == 2 and "no warehouse at" in missing.stdout


@pytest.mark.parametrize("bad", ["2026-02-30", "2026-11-2", "20261102", ""])
def test_bad_as_of_is_refused(tmp_path, bad):
    proc = summary(make_warehouse(tmp_path / "w.duckdb", new_schema=False), as_of=bad)
    assert proc.returncode == 2 and "YYYY-MM-DD" in proc.stderr


def test_summary_reads_the_warehouse_read_only(tmp_path):
    db = make_warehouse(tmp_path / "w.duckdb", new_schema=True)
    before = db.read_bytes()
    assert summary(db).returncode == 0
    assert db.read_bytes() == before and not Path(str(db) + ".wal").exists()


# --- the Makefile's orchestration, with stand-ins for dbt and the export writer -------------

FAKE_DBT = """#!{python}
import os, sys
sys.path.insert(0, {tests!r})
from test_operations_summary import make_warehouse
from pathlib import Path
with open(os.environ["FAKE_CALLS"], "a") as f:
    f.write("dbt " + " ".join(sys.argv[1:]) + "\\n")
mode = os.environ["FAKE_DBT_MODE"]
db = Path(os.environ["CLOSED_LOOP_DB"])
db.unlink(missing_ok=True)
make_warehouse(db, new_schema=True, quarantine=(mode == "quarantine"))
sys.exit(1 if mode == "fail" else 0)
"""
FAKE_PYTHON = """#!/bin/sh
if [ "$1" = scripts/write_exports.py ]; then echo "write_exports $*" >> "$FAKE_CALLS"; exit 0; fi
exec {python} "$@"
"""


def run_make(tmp_path: Path, target: str, mode: str, **env: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    for name, text in (("dbt", FAKE_DBT.format(python=sys.executable, tests=str(Path(__file__).parent))),
                       ("python", FAKE_PYTHON.format(python=sys.executable))):
        (fake / name).write_text(text)
        (fake / name).chmod((fake / name).stat().st_mode | stat.S_IEXEC)
    stamp = tmp_path / "installed"
    stamp.touch()  # newer than requirements.txt: `setup` has nothing to do (never pip install here)
    calls = tmp_path / "calls.txt"
    calls.unlink(missing_ok=True)
    calls.touch()
    full_env = {k: v for k, v in os.environ.items() if k not in ("CLOSED_LOOP_FAIL_ON_QUARANTINE", "AS_OF")}
    full_env.update(FAKE_CALLS=str(calls), FAKE_DBT_MODE=mode, CLOSED_LOOP_DB=str(tmp_path / "w.duckdb"),
                    CLOSED_LOOP_OUTPUT=str(tmp_path / "out"), CLOSED_LOOP_LANDING=str(tmp_path / "landing"), **env)
    proc = subprocess.run(["make", "--no-print-directory", target, f"AS_OF={AS_OF}", f"BIN={fake}",
                           f"STAMP={stamp}"], cwd=ROOT, env=full_env, capture_output=True, text=True)
    return proc, calls.read_text().splitlines()


@pytest.mark.parametrize("target", ["daily", "run"])
def test_make_clean_run_exits_0_with_the_summary_last(tmp_path, target):
    proc, calls = run_make(tmp_path, target, "ok")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [c.split()[0] for c in calls] == ["dbt", "write_exports"]
    assert f'"as_of": "{AS_OF}"' in calls[0] and f"--as-of {AS_OF}" in calls[1]
    assert proc.stdout.strip().splitlines()[-1] == "status: OK"


@pytest.mark.parametrize("target", ["daily", "run"])
def test_make_quarantine_writes_every_export_then_fails_with_3(tmp_path, target):
    proc, calls = run_make(tmp_path, target, "quarantine")
    assert proc.returncode == 2, proc.stdout + proc.stderr     # make's only failure code
    assert "Error 3" in proc.stderr                             # the summary step's own code
    assert [c.split()[0] for c in calls] == ["dbt", "write_exports"]
    assert QUARANTINED_FILE in proc.stdout
    assert "exit 3" in proc.stdout.strip().splitlines()[-1]


def test_make_fail_on_quarantine_stops_before_the_exports(tmp_path):
    proc, calls = run_make(tmp_path, "daily", "quarantine", CLOSED_LOOP_FAIL_ON_QUARANTINE="1")
    assert proc.returncode == 2 and "Error 3" in proc.stderr, proc.stdout + proc.stderr
    assert [c.split()[0] for c in calls] == ["dbt"]
    assert QUARANTINED_FILE in proc.stdout and "STOPPED before the export files" in proc.stdout


def test_make_fail_on_quarantine_without_quarantine_writes_the_exports(tmp_path):
    proc, calls = run_make(tmp_path, "daily", "ok", CLOSED_LOOP_FAIL_ON_QUARANTINE="1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [c.split()[0] for c in calls] == ["dbt", "write_exports"]
    assert proc.stdout.count("closedloop run summary") == 1


def test_make_failed_build_prints_the_summary_and_keeps_dbts_code(tmp_path):
    proc, calls = run_make(tmp_path, "daily", "fail")
    assert proc.returncode == 2 and "Error 1" in proc.stderr, proc.stdout + proc.stderr
    assert [c.split()[0] for c in calls] == ["dbt"]
    assert proc.stdout.strip().splitlines()[-1] == "status: FAILED: dbt build exited 1"
