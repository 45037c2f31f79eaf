#!/usr/bin/env python3
"""Write the export files of one run: each platform's delta - the rows of its export table
that ``exports.export_ledger`` records as sent on this as_of - to
``$CLOSED_LOOP_OUTPUT/<folder>/<as_of>.csv`` (or ``.jsonl``); the folder is the platform's name
unless its settings name one (``braze/user_delete``, ``klaviyo/subscriptions``,
``klaviyo/data_privacy_deletion``: export_layout.output_folder).

Usage::

    python scripts/write_exports.py --as-of 2026-11-01 [--db PATH] [--out DIR] [--platform NAME ...]

``dbt build --vars '{as_of: ...}'`` must have run first for the same ``as_of``: dbt builds every
export table (portable SQL); this script only turns the DuckDB tables into files, which is
the engine-specific part. What a file holds and how it looks comes from the table
``exports.export_layout`` (the platform settings in the export models' YAML): which export
table and grain, file format, column order, the platform's header names, value kinds and row
order (a column may leave its NULLs out while the platform writes them: export_layout.null_policy
is per column). The delta filter is this script's: rows of ``export_<platform>`` whose ``export_key``
(and, for the customer-grain snapshots Braze and Klaviyo, ``attributes_hash``) the ledger
records for this as_of.

Files carry the platform's fields and nothing else: a header row of the platform's names
(CSV) or one JSON object per line with those keys (JSON lines), UTF-8, ``\\n`` line ends.
Formatting is fixed (numbers as stored, decimals never in exponent form, rows sorted by the
layout's sort columns then by every column), so the same ``as_of`` always gives byte-identical
files. A file is written to a temporary name and renamed, so a sender never sees half a file.
A delta with no row still gives a file (a header only / empty), so "nothing to send" is
visible. A platform with ``max_rows_per_file`` spills into ``<as_of>_2.csv``, ``<as_of>_3.csv``...

Written files stay written. Each file written is recorded in ``exports.export_files`` (row
count, SHA-256 of its bytes). dbt's ``exports.export_file_status`` says per platform what the
run does: ``new`` - write the delta, then record it; ``kept`` - this as_of was written
already: the file is left as it is (a missing file is restored only when the delta gives the
recorded bytes again); ``not_ready`` - an id the platform needs is empty: a warning, no file;
``behind`` - a later as_of of the platform was written already (a backfill of older days):
no file, so no platform goes back to an older snapshot or an older day's consent.

CSV cells are safe to open in a spreadsheet (OWASP "CSV Injection"): a text cell starting
with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading ``'``. Numbers are written as numbers
(``-5`` stays ``-5``); hashes (``hash``) are checked to be SHA-256 hex or Base64 and are never
changed (a Base64 hash may start with ``+``, it is not a formula anybody chose).

Environment: ``CLOSED_LOOP_DB`` (DuckDB file, default target/closedloop.duckdb) and
``CLOSED_LOOP_OUTPUT`` (output folder, default ./output); the options win over them.
Exit codes: 0 written (or kept / skipped as export_file_status says, with a warning for
platforms not ready), 2 the tables were built for another as_of or are missing, a value does
not fit its kind, or a written file is missing and cannot be restored byte for byte.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import decimal
import hashlib
import io
import json
import os
import re
import sys
from pathlib import Path

import duckdb

EXTENSIONS = {"csv": "csv", "jsonl": "jsonl"}
# OWASP CSV Injection: a cell starting with one of these is read as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HASH_PATTERN = re.compile(r"[0-9a-f]{64}|[A-Za-z0-9+/]{43}=")
NUMBER_PATTERN = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
FILES_TABLE_COLUMNS = ("platform varchar, as_of date, file_name varchar, row_count bigint,"
                       " content_sha256 varchar, window_days integer")


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
        # a round trip: Python 3.11 also accepts 20261102 and 2026-W45-1
        valid = dt.date.fromisoformat(args.as_of).isoformat() == args.as_of
    except ValueError:
        valid = False
    if not valid:
        parser.error(f"--as-of must be a calendar date YYYY-MM-DD, got {args.as_of!r}")
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
    has_folder = con.execute(
        "select count(*) from information_schema.columns where table_schema = ?"
        " and table_name = 'export_layout' and column_name = 'output_folder'", [schema]).fetchone()[0]
    rows = con.execute(
        f"select platform, model_name, grain, file_format, null_policy, max_rows_per_file,"
        f" column_position, column_name, header_name, value_kind, sort_position, as_of,"
        f" {'output_folder' if has_folder else 'null'}"
        f" from {quote_ident(schema)}.export_layout order by platform, column_position"
    ).fetchall()
    platforms: dict[str, dict] = {}
    for (platform, model, grain, fmt, null_policy, max_rows, _pos, column, header, kind, sort_pos,
         as_of, folder) in rows:
        p = platforms.setdefault(platform, {
            "model": model, "grain": grain, "format": fmt, "null_policy": null_policy,
            "max_rows": max_rows, "columns": [], "sort": [], "as_of": as_of,
            "folder": folder or platform, "null_policies": []})
        p["columns"].append((column, header, kind))
        p["null_policies"].append(null_policy)
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


def format_quantity(value) -> str:
    """A quantity exactly, without trailing zeros: 2.5000 -> 2.5, 3.0000 -> 3."""
    if isinstance(value, decimal.Decimal):
        value = value.normalize()
        return format(value, "f")
    return format_scalar(value)


def csv_cell(value, kind: str = "text") -> str:
    """One CSV cell by its value kind (export_platforms): numbers and quantities must be
    numbers, hashes SHA-256 hex or Base64; text starting like a formula is neutralised with a
    leading ' (OWASP CSV Injection)."""
    if value is None:
        return ""
    text = format_quantity(value) if kind == "quantity" else format_scalar(value)
    if kind in ("number", "quantity"):
        if not NUMBER_PATTERN.fullmatch(text):
            raise ExportError(f"not a number: {text!r}")
        return text
    if kind == "hash":
        if not HASH_PATTERN.fullmatch(text):
            raise ExportError(f"not a SHA-256 hex or Base64 hash: {text[:80]!r}")
        return text
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_lines(header: list[str] | None, rows: list[tuple], kinds: list[str] | None = None) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    if header is not None:
        writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v, kinds[i] if kinds else "text") for i, v in enumerate(row)])
    return buf.getvalue()


def json_value(value, kind: str) -> str:
    if kind == "json":
        json.loads(value)  # must be valid JSON; embedded as built by dbt (key order kept)
        return value
    if kind in ("number", "quantity"):
        text = format_quantity(value) if kind == "quantity" else format_scalar(value)
        if not NUMBER_PATTERN.fullmatch(text):
            raise ExportError(f"not a JSON number: {text!r}")
        return text
    text = format_scalar(value)
    if kind == "hash" and not HASH_PATTERN.fullmatch(text):
        raise ExportError(f"not a SHA-256 hex or Base64 hash: {text[:80]!r}")
    return json.dumps(text, ensure_ascii=False)


def jsonl_lines(columns: list[tuple[str, str, str]], rows: list[tuple], null_policy: str | list[str]) -> str:
    """JSON lines; null_policy is the platform's, or one per column (export_layout.null_policy)."""
    policies = null_policy if isinstance(null_policy, list) else [null_policy] * len(columns)
    out = []
    for row in rows:
        members = []
        for (_, header, kind), value, policy in zip(columns, row, policies):
            if value is None:
                if policy == "keep":
                    members.append(f"{json.dumps(header)}:null")
                continue
            members.append(f"{json.dumps(header)}:{json_value(value, kind)}")
        out.append("{" + ",".join(members) + "}\n")
    return "".join(out)


class AtomicFile:
    """A file written under a temporary name and renamed into place when complete. Counts
    its rows and hashes its bytes (the record in export_files)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.tmp = path, path.with_name("." + path.name + ".tmp")
        self.fh = open(self.tmp, "w", encoding="utf-8", newline="")
        self.sha = hashlib.sha256()
        self.rows = 0

    def write(self, text: str, rows: int = 0) -> None:
        self.fh.write(text)
        self.sha.update(text.encode("utf-8"))
        self.rows += rows

    def finish(self) -> None:
        """Closes the temporary file (not yet visible)."""
        self.fh.close()

    def publish(self) -> None:
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        if not self.fh.closed:
            self.fh.close()
        self.tmp.unlink(missing_ok=True)

    def close(self) -> None:
        self.finish()
        self.publish()


def delta_condition(schema: str, p: dict) -> str:
    """The delta filter: the export row's key (and, for the customer snapshots, its
    attributes_hash) is among the ledger rows of the platform and as_of (parameters 1 and 2)."""
    same_snapshot = (" and ledger.attributes_hash = export_rows.attributes_hash"
                     if p["grain"] == "customer" else "")
    return (f"exists (select 1 from {quote_ident(schema)}.export_ledger as ledger"
            f" where ledger.platform = ? and ledger.first_sent_as_of = cast(? as date)"
            f" and ledger.event_id = export_rows.export_key{same_snapshot})")


def render_platform(con, schema: str, platform: str, p: dict, as_of: str, out: Path,
                    batch_rows: int = 50_000) -> list[AtomicFile]:
    """Streams the platform's delta into temporary files of at most max_rows rows (batches of
    rows are fetched and formatted one at a time, so memory does not grow with the export's
    size). Returns the parts, complete but not yet renamed into place."""
    columns = p["columns"]
    names = [c for c, _, _ in columns]
    kinds = [k for _, _, k in columns]
    order = p["sort"] + [c for c in names if c not in p["sort"]]
    cursor = con.execute(
        f"select {', '.join('export_rows.' + quote_ident(c) for c in names)}"
        f" from {quote_ident(schema)}.{quote_ident(p['model'])} as export_rows"
        f" where {delta_condition(schema, p)}"
        f" order by {', '.join('export_rows.' + quote_ident(c) + ' nulls first' for c in order)}",
        [platform, as_of])
    ext = EXTENSIONS[p["format"]]
    limit = p["max_rows"] or None
    folder = out / p.get("folder", platform)
    is_csv = p["format"] == "csv"
    header = csv_lines([h for _, h, _ in columns], []) if is_csv else ""
    parts: list[AtomicFile] = []

    def open_part() -> AtomicFile:
        n = len(parts) + 1
        part = AtomicFile(folder / (f"{as_of}.{ext}" if n == 1 else f"{as_of}_{n}.{ext}"))
        part.write(header)
        parts.append(part)
        return part

    try:
        part = open_part()
        while batch := cursor.fetchmany(batch_rows):
            while batch:
                if limit and part.rows == limit:
                    part.finish()
                    part = open_part()
                room = len(batch) if not limit else limit - part.rows
                rows, batch = batch[:room], batch[room:]
                part.write(csv_lines(None, rows, kinds) if is_csv
                           else jsonl_lines(columns, rows, p.get("null_policies") or p["null_policy"]),
                           len(rows))
        part.finish()
    except BaseException:
        for part in parts:
            part.discard()
        raise
    return parts


def remove_stale_parts(out: Path, platform: str, p: dict, as_of: str) -> None:
    """Parts `<as_of>_N` of an earlier, unrecorded run of the same as_of."""
    ext = EXTENSIONS[p["format"]]
    folder = out / p.get("folder", platform)
    for stale in folder.glob(f"{as_of}_*.{ext}") if folder.exists() else []:
        if re.fullmatch(rf"{re.escape(as_of)}_[0-9]+\.{ext}", stale.name):
            stale.unlink()


def write_platform(con, schema: str, platform: str, p: dict, as_of: str, out: Path,
                   batch_rows: int = 50_000) -> list[Path]:
    """Writes the platform's delta (without recording it) and returns the file paths."""
    remove_stale_parts(out, platform, p, as_of)
    parts = render_platform(con, schema, platform, p, as_of, out, batch_rows)
    for part in parts:
        part.publish()
        print(f"{platform}: {part.rows} rows -> {part.path}")
    return [part.path for part in parts]


def table_exists(con, schema: str, name: str) -> bool:
    return con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name]).fetchone()[0] > 0


def read_file_status(con, schema: str) -> dict[str, dict]:
    """export_file_status per platform; empty when the table is missing (then every platform
    is new and ready)."""
    if not table_exists(con, schema, "export_file_status"):
        return {}
    rows = con.execute(
        f"select platform, as_of, file_status, is_ready, not_ready_reason, latest_file_as_of, window_days"
        f" from {quote_ident(schema)}.export_file_status").fetchall()
    return {r[0]: {"as_of": r[1], "status": r[2], "is_ready": r[3], "reason": r[4],
                   "latest": r[5], "window_days": r[6]} for r in rows}


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export_platform(con, schema: str, platform: str, p: dict, status: dict, as_of: str,
                    out: Path) -> bool:
    """Writes, keeps or skips one platform's files as export_file_status and export_files
    say. Returns False when a written file is missing and cannot be restored."""
    files = f"{quote_ident(schema)}.export_files"
    if status and not status["is_ready"]:
        print(f"write_exports: WARNING {platform} is not ready: {status['reason']}", file=sys.stderr)
    recorded = con.execute(
        f"select file_name, row_count, content_sha256 from {files}"
        f" where platform = ? and as_of = ? order by file_name", [platform, as_of]).fetchall()
    folder = out / p.get("folder", platform)
    if recorded:
        missing = [r for r in recorded if not (folder / r[0]).exists()]
        for name, _, sha in recorded:
            path = folder / name
            if path.exists() and sha256_of(path) != sha:
                print(f"write_exports: WARNING {path} differs from what was written for {as_of}"
                      f" (export_files); left as it is", file=sys.stderr)
        if not missing:
            print(f"{platform}: {as_of} already written, kept ({sum(r[1] for r in recorded)} rows)")
            return True
        parts = render_platform(con, schema, platform, p, as_of, out)
        rendered = sorted((part.path.name, part.rows, part.sha.hexdigest()) for part in parts)
        if rendered != sorted(recorded):
            for part in parts:
                part.discard()
            print(f"write_exports: {platform} {as_of} was written before and its file is missing;"
                  f" the warehouse no longer gives the same content, so it is not rewritten"
                  f" ({', '.join(r[0] for r in missing)})", file=sys.stderr)
            return False
        for part in parts:
            if (folder / part.path.name).exists():
                part.discard()
            else:
                part.publish()
                print(f"{platform}: {part.rows} rows -> {part.path} (restored, same bytes)")
        return True
    if status.get("status") == "not_ready":
        print(f"{platform}: not ready, no file written (nothing recorded as sent)")
        return True
    if status.get("status") == "behind":
        print(f"{platform}: {status['latest']} was already written; no file for the older {as_of}"
              f" (backfill: the warehouse is rebuilt, nothing is sent)")
        return True
    remove_stale_parts(out, platform, p, as_of)
    parts = render_platform(con, schema, platform, p, as_of, out)
    try:
        con.execute("begin transaction")
        for part in parts:
            con.execute(f"insert into {files} values (?, ?, ?, ?, ?, ?)",
                        [platform, as_of, part.path.name, part.rows, part.sha.hexdigest(),
                         status.get("window_days")])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        for part in parts:
            part.discard()
        raise
    # Recorded first, then made visible: a crash in between leaves a record whose file the
    # next run restores from the same delta (kept), never a visible file without a record.
    for part in parts:
        part.publish()
        print(f"{platform}: {part.rows} rows -> {part.path}")
    return True


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    db = Path(args.db)
    if not db.exists():
        print(f"write_exports: no DuckDB file at {db} (CLOSED_LOOP_DB)", file=sys.stderr)
        return 2
    # The same memory cap as the dbt profile (large sorts spill instead of growing).
    # Read-write: the writer records the files it writes in exports.export_files.
    con = duckdb.connect(str(db),
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
        statuses = read_file_status(con, schema)
        con.execute(f"create table if not exists {quote_ident(schema)}.export_files ({FILES_TABLE_COLUMNS})")
        failed = []
        for platform in wanted:
            if not export_platform(con, schema, platform, platforms[platform],
                                   statuses.get(platform, {}), args.as_of, Path(args.out)):
                failed.append(platform)
    except (ExportError, duckdb.Error) as exc:
        print(f"write_exports: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
