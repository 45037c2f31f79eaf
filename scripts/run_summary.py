"""End-of-run summary of a closedloop run, printed last by `make run` and `make daily`.

    python scripts/run_summary.py --as-of 2026-11-02 [--db PATH] [--output DIR]
                                  [--stop-on-quarantine] [--failed "dbt build exited 1"]

Reads the DuckDB warehouse read-only (default: $CLOSED_LOOP_DB) and prints a few lines of
plain text: the landing files in scope (loaded, quarantined, stamped on the run date), rows
accepted and rejected per entity with the top reject reasons, export rows per platform,
the platforms not ready, and where to look. Tables or columns the warehouse does not have
(an older build, a failed run) are reported as such, never an error.

Exit codes (docs/operations.md, "Exit codes"):
  0  summary printed, no landing file in scope is quarantined
  3  a landing file in scope is quarantined (audit.ingestion_audit.file_status); the
     summary names it. With --stop-on-quarantine nothing is printed unless that is the case
     (the Makefile's gate before the export files when CLOSED_LOOP_FAIL_ON_QUARANTINE=1)
  2  bad arguments, or the warehouse cannot be opened (missing file, locked by a writer)
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path

EXIT_OK, EXIT_UNUSABLE, EXIT_QUARANTINE = 0, 2, 3
ENTITIES = ["campaign", "dispatch", "message", "event", "customer", "transaction",
            "transactionitem", "organization"]
STAMP_RE = re.compile(r"_([0-9]{8})[0-9]{6}\.csv$", re.IGNORECASE)
TOP_REASONS = 3
MAX_NAMED_FILES = 5


def run_date(text: str) -> str:
    """A real calendar date written YYYY-MM-DD (the round trip rejects 2026-11-2, 20261102)."""
    try:
        if dt.date.fromisoformat(text).isoformat() == text:
            return text
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD, got {text!r}")


class Warehouse:
    """The few catalogue look-ups the summary needs, on a read-only connection."""

    def __init__(self, con):
        self.con = con
        rows = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_catalog = current_database()").fetchall()
        self.columns: dict[tuple[str, str], set[str]] = {}
        for schema, table, column in rows:
            self.columns.setdefault((schema, table), set()).add(column.lower())

    def has(self, schema: str, table: str, *columns: str) -> bool:
        cols = self.columns.get((schema, table))
        return cols is not None and all(c in cols for c in columns)

    def first_column(self, schema: str, table: str, *candidates: str) -> str | None:
        cols = self.columns.get((schema, table), set())
        return next((c for c in candidates if c in cols), None)

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def named(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_NAMED_FILES])
    return shown + (f", +{len(items) - MAX_NAMED_FILES} more" if len(items) > MAX_NAMED_FILES else "")


def files_section(wh: Warehouse, as_of: str) -> tuple[list[str], list[str]]:
    """Lines about the landing files, and the names of the quarantined files."""
    if not wh.has("audit", "ingestion_audit", "entity", "source_file"):
        return ["files: audit.ingestion_audit is not built"], []
    has_status = wh.has("audit", "ingestion_audit", "file_status")
    reason_col = "quarantine_reason" if wh.has("audit", "ingestion_audit", "quarantine_reason") else "null"
    status_col = "file_status" if has_status else "'loaded'"
    # A quarantined file alerts while it is in the folder; one that has left it is history.
    folder_col = "in_landing_folder" if wh.has("audit", "ingestion_audit", "in_landing_folder") else "true"
    files = wh.rows(f"select source_file, {status_col}, {reason_col}, {folder_col} from audit.ingestion_audit "
                    "order by source_file")
    quarantined = [(f, r) for f, s, r, here in files if s == "quarantined" and here]
    files = [(f, s, r) for f, s, r, _ in files]
    stamp = as_of.replace("-", "")
    of_the_day = sum(1 for f, _, _ in files if (m := STAMP_RE.search(f)) and m.group(1) == stamp)
    line = (f"files: {len(files):,} in scope, {len(files) - len(quarantined):,} loaded, "
            f"{len(quarantined):,} quarantined; {of_the_day:,} stamped {as_of}")
    if not has_status:
        line += " (quarantine not tracked by this warehouse: no ingestion_audit.file_status)"
    lines = [line]
    if not files:
        lines.append("WARNING: no landing file in scope: is CLOSED_LOOP_LANDING the CDP's folder, "
                     "and does it hold files stamped on or before as_of?")
    if quarantined:
        lines.append("QUARANTINED: " + named([f"{f} ({r or 'no reason given'})" for f, r in quarantined]))
    return lines, [f for f, _ in quarantined]


def rows_section(wh: Warehouse) -> list[str]:
    if not wh.has("audit", "ingestion_audit", "entity", "rows_accepted", "rows_rejected"):
        return []
    totals = {e: (a, r) for e, a, r in wh.rows(
        "select entity, sum(rows_accepted), sum(rows_rejected) from audit.ingestion_audit group by entity")}
    reasons: dict[str, list[str]] = {}
    reason_col = wh.first_column("audit", "rejected_rows", "reject_reason", "reason")
    if reason_col and wh.has("audit", "rejected_rows", "entity"):
        column_col = wh.first_column("audit", "rejected_rows", "reject_column")
        label = f"{reason_col} || coalesce('(' || {column_col} || ')', '')" if column_col else reason_col
        for entity, what, n in wh.rows(
                f"select entity, {label} as what, count(*) as n from audit.rejected_rows "
                "group by entity, what order by entity, n desc, what"):
            reasons.setdefault(entity, []).append(f"{what} {n:,}")
    lines = ["rows (all files in scope), accepted / rejected, top reject reasons:"]
    for entity in sorted(totals, key=lambda e: (ENTITIES.index(e) if e in ENTITIES else 99, e)):
        accepted, rejected = totals[entity]
        top = reasons.get(entity, [])
        more = f", +{len(top) - TOP_REASONS} more" if len(top) > TOP_REASONS else ""
        why = f"  ({', '.join(top[:TOP_REASONS])}{more})" if top else ""
        lines.append(f"  {entity:<16}{int(accepted or 0):>10,} / {int(rejected or 0):<8,}{why}".rstrip())
    return lines


def exports_section(wh: Warehouse, as_of: str) -> list[str]:
    if not wh.has("exports", "export_audit", "platform", "as_of", "reason", "row_count"):
        return ["exports: exports.export_audit is not built"]
    sent = wh.rows("select platform, sum(case when reason = 'sent' then row_count else 0 end) "
                   "from exports.export_audit where as_of = cast(? as date) group by platform "
                   "order by platform", [as_of])
    if not sent:
        return [f"exports: exports.export_audit has no rows for as_of {as_of}"]
    lines = ["export rows (the files of this as_of): " + ", ".join(f"{p} {int(n or 0):,}" for p, n in sent)]
    if wh.has("exports", "export_audit", "is_ready"):
        reason = "not_ready_reason" if wh.has("exports", "export_audit", "not_ready_reason") else "null"
        not_ready = wh.rows(f"select platform, max({reason}) from exports.export_audit "
                            "where as_of = cast(? as date) and not is_ready group by platform "
                            "order by platform", [as_of])
        lines.append("platforms not ready: " + (
            ", ".join(f"{p} ({r or 'no reason given'})" for p, r in not_ready) if not_ready else "none"))
    else:
        lines.append("platforms not ready: not reported by this warehouse (no export_audit.is_ready)")
    return lines


def where_to_look(as_of: str, output: str, log_dir: str) -> str:
    return (f"look at: audit.ingestion_audit (per file), audit.rejected_rows (per rejected row, raw "
            f"row included), exports.export_audit (per platform); files {output}/<platform>/{as_of}.*; "
            f"dbt log {log_dir}/dbt.log")


def summary(db: Path, as_of: str, output: str, log_dir: str, failed: str | None,
            stop_on_quarantine: bool) -> tuple[list[str], int]:
    import duckdb

    if not db.exists():
        return [f"closedloop run summary, as_of {as_of}: no warehouse at {db}"], EXIT_UNUSABLE
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:  # locked by a writer, not a DuckDB file, ...
        return [f"closedloop run summary, as_of {as_of}: cannot open {db}: {exc}"], EXIT_UNUSABLE
    try:
        wh = Warehouse(con)
        file_lines, quarantined = files_section(wh, as_of)
        body = file_lines + rows_section(wh) + exports_section(wh, as_of)
    finally:
        con.close()
    code = EXIT_QUARANTINE if quarantined else EXIT_OK
    if failed:
        status = f"FAILED: {failed}"
    elif quarantined and stop_on_quarantine:
        status = (f"STOPPED before the export files (CLOSED_LOOP_FAIL_ON_QUARANTINE=1): "
                  f"{plural(len(quarantined), 'quarantined file')}, exit {EXIT_QUARANTINE}")
    elif quarantined:
        status = (f"QUARANTINE: built and export files written, but "
                  f"{plural(len(quarantined), 'landing file')} quarantined, exit {EXIT_QUARANTINE}")
    else:
        status = "OK"
    head = f"== closedloop run summary, as_of {as_of}, warehouse {db}"
    return [head, *body, where_to_look(as_of, output, log_dir), f"status: {status}"], code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--as-of", required=True, type=run_date, help="run date YYYY-MM-DD")
    parser.add_argument("--db", default=os.environ.get("CLOSED_LOOP_DB", "target/closedloop.duckdb"))
    parser.add_argument("--output", default=os.environ.get("CLOSED_LOOP_OUTPUT", "output"),
                        help="export folder named in the summary")
    parser.add_argument("--stop-on-quarantine", action="store_true",
                        help="print only when a file is quarantined (then exit 3)")
    parser.add_argument("--failed", metavar="WHAT", help="the run failed at this step (printed as the status)")
    args = parser.parse_args(argv)
    lines, code = summary(Path(args.db), args.as_of, args.output,
                          os.environ.get("DBT_LOG_PATH", "logs"), args.failed, args.stop_on_quarantine)
    if args.stop_on_quarantine and code == EXIT_OK:
        return EXIT_OK
    print("\n".join(lines), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
