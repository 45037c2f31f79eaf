"""Makefile entry points (issue 11): AS_OF is a real calendar date, checked before anything
runs; empty means today (UTC); `make help` lists every target.

Nothing here builds: a refused date stops make at `check-as-of`, before setup, the sample
generator or dbt; the accepted ones are checked with `make -n` (print the commands, run none)
or the check target alone. `STAMP=` points setup at a fresh stamp file so that it never
installs anything into the shared .venv.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BAD_DATES = ["2026-02-30", "2026-11-2", "20261102", "2026-W45-1", "yesterday", "2026-13-01"]
# `make test` pins its own AS_OF (2026-11-01) and is never run from a test.
ENTRY_POINTS = ["run", "daily", "freshness", "bench", "sample", "check-as-of"]


def make(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    stamp = tmp_path / "installed"
    stamp.touch()
    full_env = {k: v for k, v in os.environ.items() if k != "AS_OF"}
    full_env.update(CLOSED_LOOP_DB=str(tmp_path / "w.duckdb"), CLOSED_LOOP_OUTPUT=str(tmp_path / "out"),
                    CLOSED_LOOP_LANDING=str(tmp_path / "landing"), **env)
    return subprocess.run(["make", "--no-print-directory", *args, f"STAMP={stamp}"], cwd=ROOT,
                          env=full_env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("target", ENTRY_POINTS)
@pytest.mark.parametrize("bad", BAD_DATES)
def test_a_date_that_is_not_real_stops_every_entry_point_first(tmp_path, target, bad):
    proc = make(tmp_path, target, f"AS_OF={bad}")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout.strip() == f"AS_OF must be a date YYYY-MM-DD, got '{bad}'"
    assert "check-as-of" in proc.stderr and not (tmp_path / "w.duckdb").exists()


def test_a_bad_as_of_in_the_environment_is_refused_too(tmp_path):
    proc = make(tmp_path, "daily", AS_OF="2026-02-30")
    assert proc.returncode == 2 and "got '2026-02-30'" in proc.stdout


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_as_of_means_today_utc(tmp_path, value):
    # around midnight UTC the day may change between the two reads: accept either
    days = {dt.datetime.now(dt.timezone.utc).date().isoformat()}
    proc = make(tmp_path, "-n", "daily", f"AS_OF={value}")
    days.add(dt.datetime.now(dt.timezone.utc).date().isoformat())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    used = set(re.findall(r'"as_of": "([0-9-]+)"', proc.stdout)) | set(re.findall(r"--as-of ([0-9-]+)", proc.stdout))
    assert used and used <= days, proc.stdout
    assert make(tmp_path, "check-as-of", f"AS_OF={value}").returncode == 0


def test_a_valid_date_reaches_dbt_the_writer_and_the_summary(tmp_path):
    proc = make(tmp_path, "-n", "daily", "AS_OF=2024-02-29")
    assert proc.returncode == 0, proc.stderr
    for step in ('dbt build --selector daily --vars \'{"as_of": "2024-02-29"}\'',
                 "scripts/write_exports.py --as-of 2024-02-29", "scripts/run_summary.py --as-of 2024-02-29"):
        assert step in proc.stdout


def test_bench_keeps_its_fixed_date_unless_as_of_is_given(tmp_path):
    assert "--as-of" not in make(tmp_path, "-n", "bench").stdout.split("bench.py", 1)[1].splitlines()[0]
    assert "bench.py --scale small --as-of 2026-10-01" in make(tmp_path, "-n", "bench", "AS_OF=2026-10-01").stdout


@pytest.mark.parametrize("bad", ["2026-02-30", "2026-11-2"])
def test_bench_script_refuses_a_bad_as_of_before_anything(bad):
    proc = subprocess.run([sys.executable, "scripts/bench.py", "--as-of", bad], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "YYYY-MM-DD" in proc.stderr


def test_fail_on_quarantine_setting_must_be_0_or_1(tmp_path):
    proc = make(tmp_path, "check-as-of", "AS_OF=2026-11-01", CLOSED_LOOP_FAIL_ON_QUARANTINE="yes")
    assert proc.returncode == 2 and "CLOSED_LOOP_FAIL_ON_QUARANTINE must be 0 or 1" in proc.stdout


def makefile_targets() -> set[str]:
    """Rule targets of the Makefile (not variable assignments or target-specific variables)."""
    targets = set()
    for line in (ROOT / "Makefile").read_text().splitlines():
        m = re.match(r"^([a-z][a-z0-9-]*)\s*:(?![:=])(.*)$", line)
        if m and not re.match(r"\s*(export\s+|override\s+)?[A-Z_]+\s*[:?+]?=", m.group(2)):
            targets.add(m.group(1))
    return targets


def test_make_help_lists_every_target_once_with_a_line(tmp_path):
    proc = make(tmp_path, "help")
    assert proc.returncode == 0, proc.stderr
    listed = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"^\s+make (\S+)\s+(\S.*)$", line)
        assert m, f"not a help line: {line!r}"
        assert m.group(1) not in listed, f"listed twice: {m.group(1)}"
        listed[m.group(1)] = m.group(2)
    targets = makefile_targets()
    assert {"run", "test", "daily", "backfill", "freshness", "bench", "help"} <= targets
    assert set(listed) == targets, (sorted(targets - set(listed)), sorted(set(listed) - targets))


def test_bench_verdict_judges_each_target_as_its_table_prints_it():
    """`≤ N` is met at N; the report's `< N` is not."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.verdict(60, 60) == " — met"
    assert bench.verdict(61, 60) == " — missed"
    assert bench.verdict(60, 60, strict=True) == " — missed"
    assert bench.verdict(59.9, 60, strict=True) == " — met"
    assert bench.verdict(None, 60) == ""
