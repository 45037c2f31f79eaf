"""Shared pytest fixtures for tests/python.

Running dbt from a test (CONTRIBUTING.md): every run gets its own DuckDB file, target folder
and log folder under the test's tmp directory, so tests never touch target/ or each other's
warehouse and can run while someone else runs dbt in the same checkout.

    def test_x(run_dbt, tmp_path):
        proc = run_dbt(["build", "-s", "stg_cdp__customers"], workdir=tmp_path, landing=HOSTILE_LANDING)
        assert proc.returncode == 0, proc.stdout[-4000:]

Fixtures here are used by several test modules; add new ones below without changing the
behaviour of the existing ones.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parents[2]
DBT = ROOT / ".venv" / "bin" / "dbt"
FIXTURE_AS_OF = "2026-11-01"


def dbt_env(workdir: Path, landing: Path) -> dict[str, str]:
    """Environment for one isolated dbt run: own DB, target and log folders under workdir."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    # A caller's own target/DB settings must not leak into the test's run.
    for var in ("DBT_TARGET_PATH", "DBT_LOG_PATH", "CLOSED_LOOP_DB", "CLOSED_LOOP_LANDING",
                "CLOSED_LOOP_TARGET", "DBT_PROJECT_DIR"):
        env.pop(var, None)
    env.update(
        DBT_PROFILES_DIR=str(ROOT),
        DBT_TARGET_PATH=str(workdir / "target"),
        DBT_LOG_PATH=str(workdir / "logs"),
        CLOSED_LOOP_DB=str(workdir / "warehouse.duckdb"),
        CLOSED_LOOP_LANDING=str(landing),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DO_NOT_TRACK="1",
    )
    return env


SECTION_MARK = "-- @@section:{}@@"


def compile_sections(sections: dict[str, str], workdir: Path) -> dict[str, str]:
    """Compiles named SQL sections (Jinja with the project's macros) in ONE
    `dbt compile --inline` for the DuckDB target -> {section: compiled SQL}. For tests that run
    a macro's SQL on DuckDB in Python (test_identity_hashing, test_url_parameters)."""
    workdir.mkdir(parents=True, exist_ok=True)
    inline = "\n".join(SECTION_MARK.format(name) + "\n" + sql for name, sql in sections.items())
    env = dict(os.environ, DBT_PROFILES_DIR=str(ROOT), CLOSED_LOOP_TARGET="duckdb",
               CLOSED_LOOP_DB=str(workdir / "compile.duckdb"),
               DBT_SEND_ANONYMOUS_USAGE_STATS="false", DO_NOT_TRACK="1")
    proc = subprocess.run(
        [str(DBT), "compile", "--inline", inline, "--output", "json", "--quiet",
         "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-5000:]
    text = json.loads(proc.stdout[proc.stdout.index("{"):])["compiled"]
    parts = re.split(r"^-- @@section:(\w+)@@$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def operator_day(workdir: Path, landing: Path, out: Path, as_of: str, dbt_args: list[str],
                 extra_vars: dict | None = None) -> str:
    """One operator's day in <workdir>: `dbt build <dbt_args>` for as_of, then the writer into
    `out`; asserts both succeed and returns the writer's output."""
    proc = subprocess.run(
        [str(DBT), "build", *dbt_args, "--vars", json.dumps({"as_of": as_of, **(extra_vars or {})})],
        cwd=ROOT, env=dbt_env(workdir, landing), text=True, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, timeout=900)
    assert proc.returncode == 0, f"dbt build {as_of}:\n{proc.stdout[-4000:]}"
    writer = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "write_exports.py"), "--as-of", as_of,
         "--db", str(workdir / "warehouse.duckdb"), "--out", str(out)], text=True, capture_output=True)
    assert writer.returncode == 0, writer.stderr
    return writer.stdout


@pytest.fixture(scope="session")
def run_dbt() -> Callable[..., subprocess.CompletedProcess]:
    """Runs `dbt <args>` in the project with an isolated environment (see dbt_env).

    Returns the CompletedProcess (stdout and stderr merged in .stdout); the warehouse is
    <workdir>/warehouse.duckdb. `as_of` defaults to the fixtures' date 2026-11-01.
    """

    def _run(args: list[str], *, workdir: Path, landing: Path, as_of: str = FIXTURE_AS_OF,
             timeout: int = 900, extra_vars: dict | None = None) -> subprocess.CompletedProcess:
        cmd = [str(DBT), *args, "--vars", json.dumps({"as_of": as_of, **(extra_vars or {})})]
        return subprocess.run(cmd, cwd=ROOT, env=dbt_env(workdir, landing), text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)

    return _run


SAMPLE_ARGS = ["--customers", "2000", "--days", "60", "--seed", "7"]


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory, run_dbt) -> Path:
    """The `make run` sample (seed 7, as_of 2026-11-01), built once per test run with `dbt build`
    (seeds and models, no tests): the warehouse file the report tests read (tests/python/test_report*.py).
    Under pytest-xdist (`make pytest` runs a worker per core) the first worker that needs it
    builds it in the run's shared temporary folder while holding a lock; each worker then reads
    its own copy.
    CLOSED_LOOP_TEST_WAREHOUSE=<file> reuses an already built warehouse of that sample."""
    reuse = os.environ.get("CLOSED_LOOP_TEST_WAREHOUSE")
    if reuse:
        return Path(reuse)
    under_xdist = bool(os.environ.get("PYTEST_XDIST_WORKER"))
    base = tmp_path_factory.getbasetemp()
    if under_xdist:
        base = base.parent  # shared by the workers of this run
    workdir = base / "sample_warehouse"
    with open(base / "sample_warehouse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (workdir / "built").exists():
            landing = workdir / "landing"
            subprocess.run([str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "scripts" / "generate_sample.py"),
                            "--out", str(landing), "--as-of", FIXTURE_AS_OF, *SAMPLE_ARGS],
                           check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
            proc = run_dbt(["build", "--quiet", "--exclude-resource-type", "test",
                            "--exclude-resource-type", "unit_test"], workdir=workdir, landing=landing)
            assert proc.returncode == 0, proc.stdout[-4000:]
            (workdir / "built").touch()
    if not under_xdist:
        return workdir / "warehouse.duckdb"
    # each worker reads its own copy: a dbt command on it (test_semantic_layer) opens it for
    # writing, which DuckDB refuses while another process has it open
    own = tmp_path_factory.mktemp("sample_warehouse_copy") / "warehouse.duckdb"
    shutil.copy(workdir / "warehouse.duckdb", own)
    return own
