#!/usr/bin/env python3
"""Write the export files of one run: each platform's delta to
``$CLOSED_LOOP_OUTPUT/<platform>/<as_of>.csv`` (or ``.jsonl``).

Usage::

    python scripts/write_exports.py --as-of 2026-11-01 [--db PATH] [--out DIR] [--platform NAME ...]

``dbt build --vars '{as_of: ...}'`` must have run first for the same ``as_of``: dbt builds every
export table (portable SQL); this script only turns the DuckDB tables into files, which is
the engine-specific part. What a file holds and how it looks comes from the table
``exports.export_layout`` (macro ``export_platforms()``): which delta table, file format,
column order, the platform's header names, value kinds and row order.

Files carry the platform's fields and nothing else: a header row of the platform's names
(CSV) or one JSON object per line with those keys (JSON lines), UTF-8, ``\\n`` line ends.
Formatting is fixed (numbers as stored, decimals never in exponent form, rows sorted by the
layout's sort columns then by every column), so the same ``as_of`` always gives byte-identical
files. A file is written to a temporary name and renamed, so a sender never sees half a file.
A delta with no row still gives a file (a header only / empty), so "nothing to send" is
visible. A platform with ``max_rows_per_file`` spills into ``<as_of>_2.csv``, ``<as_of>_3.csv``...

Environment: ``CLOSED_LOOP_DB`` (DuckDB file, default target/closedloop.duckdb) and
``CLOSED_LOOP_OUTPUT`` (output folder, default ./output); the options win over them.
Exit codes: 0 written, 2 the tables were built for another as_of or are missing.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import decimal
import io
import json
import os
import re
import sys
from pathlib import Path

import duckdb

EXTENSIONS = {"csv": "csv", "jsonl": "jsonl"}


class ExportError(Exception):
    """The warehouse is not in a state to write the files of the requested as_of."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--as-of", required=True, help="run date YYYY-MM-DD (the dbt var as_of)")
    parser.add_argument("--db", default=os.environ.get("CLOSED_LOOP_DB", "target/closedloop.duckdb"))
    parser.add_argument("--out", default=os.environ.get("CLOSED_LOOP_OUTPUT", "output"))
    parser.add_argument("--platform", action="append", help="only this platform (repeatable)")
    args = parser.parse_args(argv)
    try:
        dt.date.fromisoformat(args.as_of)
    except ValueError:
        parser.error(f"--as-of must be YYYY-MM-DD, got {args.as_of!r}")
    return args


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_layout(con: duckdb.DuckDBPyConnection) -> tuple[str, dict[str, dict]]:
    """The export_layout table: its schema and, per platform, the file settings and columns."""
    schemas = [r[0] for r in con.execute(
        "select table_schema from information_schema.tables where table_name = 'export_layout'"
    ).fetchall()]
    if len(schemas) != 1:
        raise ExportError(
            f"expected one export_layout table, found {len(schemas)}: run `dbt build` first")
    schema = schemas[0]
    rows = con.execute(
        f"select platform, delta_model_name, file_format, null_policy, max_rows_per_file,"
        f" column_position, column_name, header_name, value_kind, sort_position, as_of"
        f" from {quote_ident(schema)}.export_layout order by platform, column_position"
    ).fetchall()
    platforms: dict[str, dict] = {}
    for (platform, delta, fmt, null_policy, max_rows, _pos, column, header, kind, sort_pos,
         as_of) in rows:
        p = platforms.setdefault(platform, {
            "delta": delta, "format": fmt, "null_policy": null_policy,
            "max_rows": max_rows, "columns": [], "sort": [], "as_of": as_of})
        p["columns"].append((column, header, kind))
        if sort_pos is not None:
            p["sort"].append((sort_pos, column))
    for p in platforms.values():
        p["sort"] = [c for _, c in sorted(p["sort"])]
    return schema, platforms


def format_scalar(value) -> str:
    """Text of a value, the same on every run: numbers as stored, never in exponent form."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ExportError(f"non-finite number {value!r}")
        return format(decimal.Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_lines(header: list[str], rows: list[tuple]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    if header is not None:
        writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else format_scalar(v) for v in row])
    return buf.getvalue()


def json_value(value, kind: str) -> str:
    if kind == "json":
        json.loads(value)  # must be valid JSON; embedded as built by dbt (key order kept)
        return value
    if kind == "number":
        text = format_scalar(value)
        if not re.fullmatch(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?", text):
            raise ExportError(f"not a JSON number: {text!r}")
        return text
    return json.dumps(format_scalar(value), ensure_ascii=False)


def jsonl_lines(columns: list[tuple[str, str, str]], rows: list[tuple], null_policy: str) -> str:
    out = []
    for row in rows:
        members = []
        for (_, header, kind), value in zip(columns, row):
            if value is None:
                if null_policy == "keep":
                    members.append(f"{json.dumps(header)}:null")
                continue
            members.append(f"{json.dumps(header)}:{json_value(value, kind)}")
        out.append("{" + ",".join(members) + "}\n")
    return "".join(out)


class AtomicFile:
    """A file written under a temporary name and renamed into place when complete."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.tmp = path, path.with_name("." + path.name + ".tmp")
        self.fh = open(self.tmp, "w", encoding="utf-8", newline="")

    def close(self) -> None:
        self.fh.close()
        os.replace(self.tmp, self.path)


def write_platform(con, schema: str, platform: str, p: dict, as_of: str, out: Path,
                   batch_rows: int = 50_000) -> list[Path]:
    """Streams the platform's delta into files of at most max_rows rows (batches of rows are
    fetched and formatted one at a time, so memory does not grow with the export's size)."""
    columns = p["columns"]
    names = [c for c, _, _ in columns]
    order = p["sort"] + [c for c in names if c not in p["sort"]]
    cursor = con.execute(
        f"select {', '.join(quote_ident(c) for c in names)}"
        f" from {quote_ident(schema)}.{quote_ident(p['delta'])}"
        f" order by {', '.join(quote_ident(c) + ' nulls first' for c in order)}"
    )
    ext = EXTENSIONS[p["format"]]
    limit = p["max_rows"] or None
    folder = out / platform
    # parts of an earlier run of the same as_of that this run does not rewrite
    for stale in folder.glob(f"{as_of}_*.{ext}") if folder.exists() else []:
        if re.fullmatch(rf"{re.escape(as_of)}_[0-9]+\.{ext}", stale.name):
            stale.unlink()
    is_csv = p["format"] == "csv"
    header = csv_lines([h for _, h, _ in columns], []) if is_csv else ""
    written: list[Path] = []
    counts: list[int] = []

    def open_part() -> AtomicFile:
        n = len(written) + 1
        part = AtomicFile(folder / (f"{as_of}.{ext}" if n == 1 else f"{as_of}_{n}.{ext}"))
        part.fh.write(header)
        written.append(part.path)
        counts.append(0)
        return part

    part = open_part()
    while batch := cursor.fetchmany(batch_rows):
        while batch:
            if limit and counts[-1] == limit:
                part.close()
                part = open_part()
            room = len(batch) if not limit else limit - counts[-1]
            rows, batch = batch[:room], batch[room:]
            part.fh.write(csv_lines(None, rows) if is_csv else jsonl_lines(columns, rows, p["null_policy"]))
            counts[-1] += len(rows)
    part.close()
    for path, count in zip(written, counts):
        print(f"{platform}: {count} rows -> {path}")
    return written


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    db = Path(args.db)
    if not db.exists():
        print(f"write_exports: no DuckDB file at {db} (CLOSED_LOOP_DB)", file=sys.stderr)
        return 2
    # The same memory cap as the dbt profile (large sorts spill instead of growing).
    con = duckdb.connect(str(db), read_only=True,
                         config={"memory_limit": os.environ.get("CLOSED_LOOP_DUCKDB_MEMORY", "2.5GB")})
    try:
        schema, platforms = read_layout(con)
        wanted = args.platform or sorted(platforms)
        unknown = sorted(set(wanted) - set(platforms))
        if unknown:
            raise ExportError(f"unknown platform(s) {unknown}; known: {sorted(platforms)}")
        for platform in wanted:
            built_for = str(platforms[platform]["as_of"])
            if built_for != args.as_of:
                raise ExportError(
                    f"the export tables hold as_of {built_for}, not {args.as_of}: run "
                    f"`dbt build --vars '{{as_of: \"{args.as_of}\"}}'` first")
        for platform in wanted:
            write_platform(con, schema, platform, platforms[platform], args.as_of, Path(args.out))
    except (ExportError, duckdb.Error) as exc:
        print(f"write_exports: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
