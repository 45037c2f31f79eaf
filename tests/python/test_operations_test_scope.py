"""Tests on a daily run check what the run wrote (issue 13, docs/operations.md "Tests on a
daily run").

The generic tests of the base models (tag run_date_scope) read only the rows whose
loaded_as_of is the run date; the `weekly` selector with var whole_table_tests reads the whole
tables. Planted here: a duplicate (source_file, source_row_number) in a file an earlier day
loaded, which the day's tests must not see and the weekly check must catch, and then one in
the file the day loaded, which the day's tests must catch. The var as text: "false" keeps the
scope, a value that is neither true nor false stops the tests with its name.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
DAY_1, DAY_2 = "2026-11-01", "2026-11-02"
BASE = ["--select", "path:models/staging/cdp/base"]
SCOPED_TESTS = ["--select", "tag:run_date_scope"]
UNIQUE_TEST = "unique_combination_of_columns_base_cdp__events_source_file__source_row_number"


def plant_duplicate(db: Path, source_file: str) -> None:
    con = duckdb.connect(str(db))
    try:
        con.execute("insert into staging.base_cdp__events select * from staging.base_cdp__events "
                    "where source_file = ? order by source_row_number limit 1", [source_file])
    finally:
        con.close()


def failing_tests(output: str) -> set[str]:
    return {line.split("Failure in test ")[1].split(" ")[0]
            for line in output.splitlines() if "Failure in test " in line}


def test_daily_tests_read_the_run_dates_rows_weekly_the_whole_table(run_dbt, tmp_path):
    landing = tmp_path / "landing"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_sample.py"), "--out", str(landing),
                    "--as-of", DAY_1, "--customers", "200", "--days", "5", "--seed", "3"],
                   check=True, stdout=subprocess.DEVNULL)
    workdir = tmp_path / "work"
    db = workdir / "warehouse.duckdb"
    seeds = run_dbt(["seed"], workdir=workdir, landing=landing, as_of=DAY_1)
    assert seeds.returncode == 0, seeds.stdout[-4000:]
    first = run_dbt(["run", *BASE], workdir=workdir, landing=landing, as_of=DAY_1)
    assert first.returncode == 0, first.stdout[-4000:]
    old_file = sorted(p.name for p in landing.glob("*event_*.csv"))[-1]
    # the next day's delivery: one event file (the same rows again, under the new day's name)
    new_file = old_file.rsplit("_", 1)[0] + "_20261102060000.csv"
    shutil.copy(landing / old_file, landing / new_file)
    second = run_dbt(["run", *BASE], workdir=workdir, landing=landing, as_of=DAY_2)
    assert second.returncode == 0, second.stdout[-4000:]

    con = duckdb.connect(str(db), read_only=True)
    try:
        by_date = dict(con.execute(
            "select source_file = ?, string_agg(distinct cast(loaded_as_of as varchar), ',') "
            "from staging.base_cdp__events group by 1", [new_file]).fetchall())
    finally:
        con.close()
    assert by_date == {True: DAY_2, False: DAY_1}

    plant_duplicate(db, old_file)
    # "false" as text (a command line's --vars) keeps the scope
    daily = run_dbt(["test", *SCOPED_TESTS], workdir=workdir, landing=landing, as_of=DAY_2,
                    extra_vars={"whole_table_tests": "false"})
    assert daily.returncode == 0, daily.stdout[-4000:]
    typo = run_dbt(["test", *SCOPED_TESTS], workdir=workdir, landing=landing, as_of=DAY_2,
                   extra_vars={"whole_table_tests": "ture"})
    assert typo.returncode != 0 and "var whole_table_tests must be true or false, got: ture" in typo.stdout, \
        typo.stdout[-4000:]
    weekly = run_dbt(["test", "--selector", "weekly"], workdir=workdir, landing=landing, as_of=DAY_2,
                     extra_vars={"whole_table_tests": True})
    assert weekly.returncode == 1, weekly.stdout[-4000:]
    assert failing_tests(weekly.stdout) == {UNIQUE_TEST}

    plant_duplicate(db, new_file)
    daily = run_dbt(["test", *SCOPED_TESTS], workdir=workdir, landing=landing, as_of=DAY_2)
    assert daily.returncode == 1, daily.stdout[-4000:]
    assert failing_tests(daily.stdout) == {UNIQUE_TEST}
