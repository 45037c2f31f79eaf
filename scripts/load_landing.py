#!/usr/bin/env python3
"""Loads the landing folder into `landing.<entity>` tables on Spark or PostgreSQL.

On DuckDB the on-run-start hook `create_landing_relations`
(macros/landing/create_landing_relations.sql) calls the project's landing reader (the
dbt-duckdb plugin in scripts/closedloop_landing/): every landing file is read with Python's
csv module into a canonical CSV file under `<database file>.landing/`
(CLOSED_LOOP_LANDING_CACHE), and the hook makes one view `landing.<entity>` over the canonical
files (the canonical columns of docs/architecture.md: the contract columns as VARCHAR plus
`_source_file`, `_source_system`, `_file_timestamp`, `_file_sha256`, `_row_number`,
`_line_number`, `_line_count`, `_load_order`, `_raw`, `_custom_attributes`, `_extra_fields`,
`_structural_reason`, `_reject_column` and `_file_loaded_at`) and the table `landing.files`, the
reader's manifest (one row per file, loaded or quarantined). Other engines get the very same
rows: this script runs that hook on a scratch DuckDB database (with the project's DuckDB dbt,
so the same reader, delimiter detection, quarantine, structural rejects and as_of cut-off;
with no base tables there, the views hold every file in scope), then copies each view and
`landing.files`, column for column, into a table of the target engine:

  VARCHAR -> string / text, BIGINT -> bigint, INTEGER -> int / integer, TIMESTAMP -> timestamp
  (UTC wall-clock, no zone), as the staging models expect. On PostgreSQL the column names are
  lower-cased (what the models' unquoted `SourceCustomerNumber` resolves to there).

Usage (from the project folder, in the engine's virtual environment, which has duckdb):
  python scripts/load_landing.py --target spark --as-of 2026-11-01 [--landing DIR]
  python scripts/load_landing.py --target postgres --duckdb target/closedloop.duckdb
  python scripts/load_landing.py --export DIR --as-of 2026-11-01

--duckdb reuses the `landing` relations of an existing DuckDB build instead of making them (as
its last run left them: after a daily run the views hold only that run's new and replaced files).
--export writes DIR/<entity>.parquet (the same columns and types, timestamps as UTC) for a
remote cluster to read, instead of loading an engine (docs/engines.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engine_profile import PROJECT_DIR, postgres_connection, spark_session, target_config  # noqa: E402

SPARK_TYPES = {"VARCHAR": "string", "BIGINT": "bigint", "INTEGER": "int", "TIMESTAMP": "timestamp"}
POSTGRES_TYPES = {"VARCHAR": "text", "BIGINT": "bigint", "INTEGER": "integer", "TIMESTAMP": "timestamp"}


def build_landing_views(duckdb_path: Path, landing: str, as_of: str, dbt: str, work: Path) -> None:
    """Runs the project's own landing macro on DuckDB into a scratch database file."""
    env = dict(os.environ)
    env.update({
        "CLOSED_LOOP_DB": str(duckdb_path),
        "CLOSED_LOOP_LANDING": landing,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "DBT_TARGET_PATH": str(work / "dbt_target"),
        "DBT_LOG_PATH": str(work / "dbt_logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    })
    env.pop("CLOSED_LOOP_TARGET", None)
    cmd = [dbt, "run-operation", "create_landing_relations", "--target", "duckdb",
           "--vars", json.dumps({"as_of": as_of})]
    proc = subprocess.run(cmd, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-5000:] + proc.stderr[-5000:])
        raise SystemExit(f"load_landing: `{' '.join(cmd)}` failed (exit {proc.returncode})")


def landing_tables(con) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'landing' "
        "order by table_name").fetchall()
    tables = {}
    for (name,) in rows:
        cols = con.execute(f'describe landing."{name}"').fetchall()
        tables[name] = [(c[0], c[1].upper()) for c in cols]
    return tables


def _export_select(name: str, cols: list[tuple[str, str]], timestamps_as_text: bool) -> str:
    parts = []
    for col, typ in cols:
        q = '"' + col.replace('"', '""') + '"'
        if typ not in SPARK_TYPES:
            raise SystemExit(f"load_landing: landing.{name}.{col} has type {typ}, which this loader does not map")
        if typ == "TIMESTAMP" and timestamps_as_text:
            parts.append(f"strftime({q}, '%Y-%m-%d %H:%M:%S.%f') as {q}")
        else:
            parts.append(q)
    return f'select {", ".join(parts)} from landing."{name}" order by {_order(cols)}'


def _order(cols: list[tuple[str, str]]) -> str:
    """Rows in delivery order (the manifest `files`, which has no rows of its own, by name)."""
    return "_load_order" if any(c == "_load_order" for c, _ in cols) else "file_name"


def export_parquet(con, tables, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, cols in tables.items():
        path = out / f"{name}.parquet"
        sel = ", ".join(
            (f'timezone(\'UTC\', "{c}") as "{c}"' if t == "TIMESTAMP" else f'"{c}"') for c, t in cols)
        con.execute(f'copy (select {sel} from landing."{name}" order by {_order(cols)}) to \'{path}\' (format parquet)')
        print(f"  {path}")


def load_spark(con, tables, work: Path) -> None:
    spark = spark_session(target_config("spark"))
    spark.sql("create database if not exists landing")
    for name, cols in tables.items():
        path = work / f"{name}.parquet"
        con.execute(f"copy ({_export_select(name, cols, True)}) to '{path}' (format parquet)")
        select = ", ".join(
            f"cast(`{c}` as {SPARK_TYPES[t]}) as `{c}`" for c, t in cols)
        spark.sql(f"drop table if exists landing.`{name}`")
        spark.sql(f"create table landing.`{name}` using parquet as "
                  f"select {select} from parquet.`{path}`")
        n = spark.sql(f"select count(*) from landing.`{name}`").collect()[0][0]
        print(f"  landing.{name}: {n} rows")
    spark.stop()


def load_postgres(con, tables, work: Path) -> None:
    conn = postgres_connection(target_config("postgres"))
    with conn, conn.cursor() as cur:
        cur.execute("create schema if not exists landing")
        for name, cols in tables.items():
            path = work / f"{name}.csv"
            con.execute(f"copy ({_export_select(name, cols, True)}) to '{path}' "
                        "(format csv, header false, quote '\"', escape '\"')")
            # PostgreSQL folds unquoted identifiers to lower case: the models' unquoted
            # `SourceCustomerNumber` means sourcecustomernumber there.
            ddl = ", ".join(f'"{c.lower()}" {POSTGRES_TYPES[t]}' for c, t in cols)
            cur.execute(f'drop table if exists landing."{name}" cascade')
            cur.execute(f'create table landing."{name}" ({ddl})')
            with open(path, encoding="utf-8") as fh:
                cur.copy_expert(f'copy landing."{name}" from stdin with (format csv)', fh)
            cur.execute(f'select count(*) from landing."{name}"')
            print(f"  landing.{name}: {cur.fetchone()[0]} rows")
    conn.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--target", choices=["spark", "postgres"])
    ap.add_argument("--export", metavar="DIR", help="write <entity>.parquet files instead of loading")
    ap.add_argument("--as-of", default=os.environ.get("AS_OF") or time.strftime("%Y-%m-%d", time.gmtime()))
    ap.add_argument("--landing", default=os.environ.get("CLOSED_LOOP_LANDING"),
                    help="landing folder (default: CLOSED_LOOP_LANDING)")
    ap.add_argument("--duckdb", help="existing DuckDB build whose `landing` views to copy")
    ap.add_argument("--dbt", default=str(PROJECT_DIR / ".venv" / "bin" / "dbt"),
                    help="dbt executable with the duckdb adapter (default: .venv/bin/dbt)")
    args = ap.parse_args()
    if bool(args.target) == bool(args.export):
        ap.error("give either --target or --export")

    import duckdb

    started = time.time()
    with tempfile.TemporaryDirectory(prefix="closedloop-landing-") as tmp:
        work = Path(tmp)
        if args.duckdb:
            db_path = Path(args.duckdb)
        else:
            if not args.landing:
                ap.error("--landing (or CLOSED_LOOP_LANDING) is needed without --duckdb")
            db_path = work / "closedloop_landing.duckdb"
            build_landing_views(db_path, str(Path(args.landing).resolve()), args.as_of, args.dbt, work)
        con = duckdb.connect(str(db_path), read_only=True)
        con.execute("set TimeZone = 'UTC'")
        tables = landing_tables(con)
        if not tables:
            raise SystemExit(f"load_landing: {db_path} has no landing views")
        print(f"load_landing: {len(tables)} landing relations -> {args.target or args.export}")
        if args.export:
            export_parquet(con, tables, Path(args.export))
        elif args.target == "spark":
            load_spark(con, tables, work)
        else:
            load_postgres(con, tables, work)
        con.close()
    print(f"load_landing: done in {time.time() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
