#!/usr/bin/env python3
"""Compares a Spark or PostgreSQL build of the project with the DuckDB build, table by table.

For every table and view that the DuckDB build made outside `landing` (staging, audit,
intermediate, marts, exports, reference seeds, ...), it checks on the other engine:
  - the relation exists with the same columns (names compared case-insensitively),
  - the same row count,
  - the same order-independent content checksum: every value normalized to text, each row
    hashed, the multiset of row hashes hashed.

Normalization (the same on both sides), so that only real differences count:
  - numbers (integer, decimal, float) -> fixed 6-decimal text ('12.500000'); -0 -> 0
  - booleans -> 'true' / 'false'
  - timestamps -> ISO text in UTC (a zone-less timestamp is taken as UTC); dates -> ISO date
  - text that is a JSON object or array -> compact JSON with sorted keys (engines write JSON
    with different spacing and key order)
  - NULL -> a marker distinct from every text
Column types are listed when they differ in kind (text, number, boolean, timestamp, date),
and fail the check unless --allow-type-drift.

Usage (in the engine's virtual environment, which also has duckdb):
  python scripts/compare_engines.py --target spark --duckdb target/engines/duckdb.duckdb
Exit code 0 when every relation matches; prints 'N passed, N failed' at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import hashlib
import json
import math
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engine_profile import postgres_connection, spark_session, target_config  # noqa: E402

NULL = "\x00NULL\x00"
SKIP_SCHEMAS = {"landing", "information_schema", "pg_catalog"}


def norm(value) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, decimal.Decimal, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            return str(value)
        d = decimal.Decimal(str(value)) if isinstance(value, float) else decimal.Decimal(value)
        text = f"{d.quantize(decimal.Decimal('0.000001'), rounding=decimal.ROUND_HALF_EVEN):f}"
        return "0.000000" if text == "-0.000000" else text
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return json.dumps([norm(v) for v in value])
    if isinstance(value, dict):
        return json.dumps({str(k): norm(v) for k, v in sorted(value.items())})
    if hasattr(value, "asDict"):  # Spark Row (struct)
        return norm(value.asDict())
    text = str(value)
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            return json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        except ValueError:
            pass
    return text


def kind(type_name: str) -> str:
    t = type_name.lower()
    if any(k in t for k in ("char", "string", "text", "json", "uuid")):
        return "text"
    if "bool" in t:
        return "boolean"
    if "timestamp" in t or "datetime" in t:
        return "timestamp"
    if t.startswith("date"):
        return "date"
    if any(k in t for k in ("int", "decimal", "numeric", "double", "float", "real", "hugeint", "long", "short", "byte")):
        return "number"
    return t


def row_hash(row) -> bytes:
    h = hashlib.sha256()
    for v in row:
        h.update(norm(v).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.digest()


def summarize(rows) -> tuple[int, str, Counter]:
    counts = Counter(row_hash(r) for r in rows)
    total = hashlib.sha256()
    for digest in sorted(counts):
        total.update(digest)
        total.update(counts[digest].to_bytes(8, "big"))
    return sum(counts.values()), total.hexdigest()[:16], counts


class DuckSide:
    def __init__(self, path: str):
        import duckdb

        self.con = duckdb.connect(path, read_only=True)
        self.con.execute("set TimeZone = 'UTC'")
        self.catalog = self.con.execute("select current_database()").fetchone()[0]

    def relations(self) -> list[tuple[str, str]]:
        rows = self.con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() order by 1, 2").fetchall()
        return [(s, t) for s, t in rows if s not in SKIP_SCHEMAS and not s.endswith("dbt_test__audit")]

    def columns(self, schema: str, table: str) -> list[tuple[str, str]]:
        return [(c[0], c[1]) for c in self.con.execute(f'describe "{self.catalog}"."{schema}"."{table}"').fetchall()]

    def rows(self, schema: str, table: str, cols: list[str]):
        sel = ", ".join('"' + c + '"' for c in cols)
        return self.con.execute(f'select {sel} from "{self.catalog}"."{schema}"."{table}"').fetchall()


class SparkSide:
    def __init__(self):
        self.spark = spark_session(target_config("spark"))

    def columns(self, schema: str, table: str):
        if not self.spark.catalog.tableExists(f"{schema}.{table}"):
            return None
        df = self.spark.table(f"`{schema}`.`{table}`")
        return [(f.name, f.dataType.simpleString()) for f in df.schema.fields]

    def rows(self, schema: str, table: str, cols: list[str]):
        sel = ", ".join(f"`{c}`" for c in cols)
        return self.spark.sql(f"select {sel} from `{schema}`.`{table}`").collect()


class PostgresSide:
    def __init__(self):
        self.conn = postgres_connection(target_config("postgres"))
        self.conn.autocommit = True

    def columns(self, schema: str, table: str):
        with self.conn.cursor() as cur:
            cur.execute(
                "select a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a "
                "join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace "
                "where n.nspname = %s and c.relname = %s and a.attnum > 0 and not a.attisdropped "
                "order by a.attnum", (schema, table.lower()))
            cols = cur.fetchall()
        return cols or None

    def rows(self, schema: str, table: str, cols: list[str]):
        sel = ", ".join('"' + c + '"' for c in cols)
        with self.conn.cursor() as cur:
            cur.execute(f'select {sel} from "{schema}"."{table.lower()}"')
            return cur.fetchall()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--target", required=True, choices=["spark", "postgres"])
    ap.add_argument("--duckdb", required=True, help="the DuckDB build to compare with")
    ap.add_argument("--schemas", help="comma-separated schemas to compare (default: all but landing)")
    ap.add_argument("--allow-type-drift", action="store_true")
    ap.add_argument("--show", type=int, default=5, help="differing rows to print per relation")
    ap.add_argument("--label", default="", help="also print '<label>: N/N tables identical'")
    args = ap.parse_args()
    os.environ["TZ"] = "UTC"  # pyspark turns timestamps into Python datetimes in the process zone
    if hasattr(time, "tzset"):
        time.tzset()

    started = time.time()
    duck = DuckSide(args.duckdb)
    other = SparkSide() if args.target == "spark" else PostgresSide()
    wanted = set(args.schemas.split(",")) if args.schemas else None
    passed = failed = 0
    for schema, table in duck.relations():
        if wanted and schema not in wanted:
            continue
        name = f"{schema}.{table}"
        dcols = duck.columns(schema, table)
        ocols = other.columns(schema, table)
        problems = []
        if ocols is None:
            print(f"FAIL {name}: missing on {args.target}")
            failed += 1
            continue
        dnames = [c.lower() for c, _ in dcols]
        onames = {c.lower(): (c, t) for c, t in ocols}
        if sorted(dnames) != sorted(onames):
            problems.append(f"columns differ: only duckdb {sorted(set(dnames) - set(onames))}, "
                            f"only {args.target} {sorted(set(onames) - set(dnames))}")
        common = [c for c, _ in dcols if c.lower() in onames]
        drift = [f"{c} {t} vs {onames[c.lower()][1]}" for c, t in dcols
                 if c.lower() in onames and kind(t) != kind(onames[c.lower()][1])]
        if drift:
            msg = "type kinds differ: " + "; ".join(drift)
            if args.allow_type_drift:
                print(f"note {name}: {msg}")
            else:
                problems.append(msg)
        dn, dsum, dcounts = summarize(duck.rows(schema, table, common))
        orows = other.rows(schema, table, [onames[c.lower()][0] for c in common])
        on, osum, ocounts = summarize(orows)
        if dn != on:
            problems.append(f"row count {dn} (duckdb) vs {on} ({args.target})")
        if dsum != osum:
            problems.append(f"checksum {dsum} (duckdb) vs {osum} ({args.target})")
            only_d = dcounts - ocounts
            only_o = ocounts - dcounts
            drows = {row_hash(r): r for r in duck.rows(schema, table, common)}
            orows_by = {row_hash(r): r for r in orows}
            for label, diff, source in (("duckdb", only_d, drows), (args.target, only_o, orows_by)):
                for digest in list(diff)[: args.show]:
                    vals = {c: norm(v) for c, v in zip(common, source[digest])}
                    problems.append(f"  only {label}: {json.dumps(vals, ensure_ascii=False)[:1500]}")
        if problems:
            failed += 1
            print(f"FAIL {name} ({dn} rows)")
            for p in problems:
                print(f"     {p}")
        else:
            passed += 1
            print(f"ok   {name}: {dn} rows, checksum {dsum}")
    print(f"compare_engines: duckdb vs {args.target} in {time.time() - started:.1f} s")
    print(f"{passed} passed, {failed} failed")
    if args.label:
        print(f"{args.label}: {passed}/{passed + failed} tables identical")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
