"""Compare two DuckDB warehouse files table by table.

    python scripts/compare_warehouses.py BEFORE.duckdb AFTER.duckdb

For every table and view outside the intermediate, export_prep, landing and system schemas:
the same columns in the same order with the same types, the same row count, and EXCEPT ALL
empty both ways (order-independent, duplicates counted). Prints one line per relation
(OK / DIFF / MISSING) and a total; exits 1 when any relation differs, 0 when all are equal.
Used to show that a refactoring changes no mart or export table (docs/decisions/layers.md).
"""
from __future__ import annotations

import sys

import duckdb

SKIPPED_SCHEMAS = {"main", "information_schema", "pg_catalog", "export_prep"}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def skipped(schema: str) -> bool:
    return schema in SKIPPED_SCHEMAS or schema.endswith("intermediate") or "landing" in schema


def relations(con, db: str) -> set[tuple[str, str]]:
    rows = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ?"
        " union select schema_name, view_name from duckdb_views() where database_name = ? and not internal",
        [db, db]).fetchall()
    return {(s, t) for s, t in rows if not skipped(s)}


def columns(con, db: str, schema: str, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from duckdb_columns()"
        " where database_name = ? and schema_name = ? and table_name = ? order by column_index",
        [db, schema, table]).fetchall()


def compare(before: str, after: str) -> int:
    con = duckdb.connect()
    con.execute(f"attach {literal(before)} as b (read_only)")
    con.execute(f"attach {literal(after)} as a (read_only)")
    in_b, in_a = relations(con, "b"), relations(con, "a")
    differ = compared = 0
    for schema, table in sorted(in_b | in_a):
        name = f"{schema}.{table}"
        if (schema, table) not in in_b or (schema, table) not in in_a:
            print("MISSING", name, "only", "before" if (schema, table) in in_b else "after")
            differ += 1
            continue
        compared += 1
        cb, ca = columns(con, "b", schema, table), columns(con, "a", schema, table)
        rel = {db: f"{db}.{quote(schema)}.{quote(table)}" for db in ("a", "b")}
        rb = con.execute(f"select count(*) from {rel['b']}").fetchone()[0]
        ra = con.execute(f"select count(*) from {rel['a']}").fetchone()[0]
        if cb != ca:
            print("DIFF", name, rb, ra, "columns", cb, "vs", ca)
            differ += 1
            continue
        only_b = con.execute(f"select count(*) from (select * from {rel['b']} except all select * from {rel['a']})").fetchone()[0]
        only_a = con.execute(f"select count(*) from (select * from {rel['a']} except all select * from {rel['b']})").fetchone()[0]
        ok = rb == ra and only_b == 0 and only_a == 0
        differ += not ok
        print("OK  " if ok else "DIFF", name, rb, ra, f"only before {only_b}, only after {only_a}")
    print(f"{compared} relations compared, {differ} differ or are missing")
    return 1 if differ else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(compare(sys.argv[1], sys.argv[2]))
