"""scripts/compare_warehouses.py, the table comparison that shows a refactoring changes no
mart or export table: equal warehouses pass; a changed value, a duplicated row, a missing
table or a changed column fail. Hand-made DuckDB files, no dbt."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "compare_warehouses.py"


def warehouse(path: Path, *statements: str) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create schema int_intermediate")
    con.execute("create table marts.fct_a (id integer, name varchar)")
    con.execute("insert into marts.fct_a values (1, 'x'), (2, 'y')")
    con.execute("create table int_intermediate.skipped (id integer)")
    for statement in statements:
        con.execute(statement)
    con.close()
    return path


def run(before: Path, after: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), str(before), str(after)], capture_output=True, text=True)


def test_equal_warehouses_pass(tmp_path):
    proc = run(warehouse(tmp_path / "b.duckdb"),
               warehouse(tmp_path / "a.duckdb", "insert into int_intermediate.skipped values (1)"))
    assert proc.returncode == 0, proc.stdout
    assert "1 relations compared, 0 differ" in proc.stdout


@pytest.mark.parametrize("change, line", [
    ("update marts.fct_a set name = 'z' where id = 2", "DIFF marts.fct_a 2 2 only before 1, only after 1"),
    ("insert into marts.fct_a values (1, 'x')", "DIFF marts.fct_a 2 3 only before 0, only after 1"),
    ("create table marts.fct_new (id integer)", "MISSING marts.fct_new only after"),
    ("alter table marts.fct_a rename column name to label", "DIFF marts.fct_a 2 2 columns"),
])
def test_a_difference_fails(tmp_path, change, line):
    proc = run(warehouse(tmp_path / "b.duckdb"), warehouse(tmp_path / "a.duckdb", change))
    assert proc.returncode == 1, proc.stdout
    assert line in proc.stdout
