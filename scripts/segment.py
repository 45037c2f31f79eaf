"""A segment in one command: compile an analysis (analyses/<name>.sql), run it against the
warehouse (read-only) and write its rows as CSV (`make segment NAME=... VARS='{...}'`).

Usage: python scripts/segment.py NAME [--vars '{segment_event_type: emailClick}'] [--as-of D]
                                      [--out FILE]

The CSV goes to $CLOSED_LOOP_OUTPUT/segments/<name>_<as_of>.csv unless --out is given. Cells are
written by the export writer's own helper (scripts/write_exports.py csv_lines): text that starts
like a spreadsheet formula (= + - @ tab CR) gets a leading ' (OWASP CSV injection); numbers stay
numbers. Prints the file and its row count.
"""
from __future__ import annotations

import argparse
import datetime as dt
import decimal
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from write_exports import csv_lines  # noqa: E402


def parse_vars(text: str) -> dict:
    value = yaml.safe_load(text) if text and text.strip() else {}
    if not isinstance(value, dict):
        raise SystemExit(f"segment: --vars must be a YAML/JSON mapping, got {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="analysis name (a file analyses/<name>.sql)")
    parser.add_argument("--vars", default="", help="dbt vars as YAML/JSON, e.g. '{segment_channel: email}'")
    parser.add_argument("--as-of", default=os.environ.get("AS_OF") or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d"))
    parser.add_argument("--db", default=os.environ.get("CLOSED_LOOP_DB", str(ROOT / "target" / "closedloop.duckdb")))
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)

    if not (ROOT / "analyses" / f"{args.name}.sql").is_file():
        known = ", ".join(sorted(p.stem for p in (ROOT / "analyses").glob("*.sql")))
        print(f"segment: no analysis {args.name!r} (analyses/: {known})", file=sys.stderr)
        return 2
    db = Path(args.db)
    if not db.exists():
        print(f"segment: no warehouse at {db} (run make run first)", file=sys.stderr)
        return 2
    dbt_vars = {"as_of": args.as_of, **parse_vars(args.vars)}

    with tempfile.TemporaryDirectory(prefix="segment-") as tmp:
        env = dict(os.environ, DBT_TARGET_PATH=str(Path(tmp) / "target"), DBT_LOG_PATH=str(Path(tmp) / "logs"))
        env.setdefault("DBT_PROFILES_DIR", str(ROOT))
        proc = subprocess.run([str(Path(sys.executable).parent / "dbt"), "compile", "--quiet", "--select", args.name,
                               "--vars", json.dumps(dbt_vars)], cwd=ROOT, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stdout + proc.stderr, file=sys.stderr)
            return proc.returncode
        compiled = next(Path(tmp, "target", "compiled").rglob(f"analyses/{args.name}.sql"))
        sql = compiled.read_text(encoding="utf-8")

    con = duckdb.connect(str(db), read_only=True)
    cur = con.execute(sql)
    header = [d[0] for d in cur.description]
    rows = cur.fetchall()
    con.close()
    kinds = []
    for i in range(len(header)):
        values = [r[i] for r in rows if r[i] is not None]
        numeric = values and all(isinstance(v, (int, float, decimal.Decimal)) and not isinstance(v, bool) for v in values)
        kinds.append("number" if numeric else "text")
    out = Path(args.out) if args.out else (
        Path(os.environ.get("CLOSED_LOOP_OUTPUT", str(ROOT / "output"))) / "segments" / f"{args.name}_{args.as_of}.csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = out.with_name(out.name + ".tmp")
    tmp_out.write_text(csv_lines(header, rows, kinds), encoding="utf-8")
    tmp_out.replace(out)
    print(f"segment: {len(rows)} customers -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
