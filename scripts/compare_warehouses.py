"""Compare two DuckDB warehouse files table by table (issue 12 equality proof).

    python scripts/compare_warehouses.py BEFORE.duckdb AFTER.duckdb

For every table or view outside the intermediate and export_prep schemas (and main / landing): same columns in
the same order, same types, same row count, and EXCEPT ALL empty both ways (order-independent,
duplicates counted). Prints one line per table and a total; compare by eye or grep for DIFF.
"""
import duckdb, sys
before, after = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute(f"attach '{before}' as b (read_only)"); con.execute(f"attach '{after}' as a (read_only)")
def tables(db):
    return {(s, t) for s, t in con.execute(f"select schema_name, table_name from duckdb_tables() where database_name = '{db}' union select schema_name, view_name from duckdb_views() where database_name='{db}' and not internal").fetchall()}
tb, ta = tables('b'), tables('a')
skip = lambda s: s.endswith("intermediate") or s == "export_prep" or s in ('main','information_schema','pg_catalog') or 'landing' in s
bad = 0; n = 0
for s, t in sorted(tb | ta):
    if skip(s): continue
    if (s, t) not in tb or (s, t) not in ta:
        print('MISSING', s, t, 'before' if (s,t) in tb else '', 'after' if (s,t) in ta else ''); bad += 1; continue
    cb = [r[0] for r in con.execute(f"select column_name from duckdb_columns() where database_name='b' and schema_name='{s}' and table_name='{t}' order by column_index").fetchall()]
    ca = [r[0] for r in con.execute(f"select column_name from duckdb_columns() where database_name='a' and schema_name='{s}' and table_name='{t}' order by column_index").fetchall()]
    tyb = con.execute(f"select data_type from duckdb_columns() where database_name='b' and schema_name='{s}' and table_name='{t}' order by column_index").fetchall()
    tya = con.execute(f"select data_type from duckdb_columns() where database_name='a' and schema_name='{s}' and table_name='{t}' order by column_index").fetchall()
    rb = con.execute(f"select count(*) from b.{s}.{t}").fetchone()[0]
    ra = con.execute(f"select count(*) from a.{s}.{t}").fetchone()[0]
    d1 = con.execute(f"select count(*) from (select * from b.{s}.{t} except all select * from a.{s}.{t})").fetchone()[0] if cb == ca else None
    d2 = con.execute(f"select count(*) from (select * from a.{s}.{t} except all select * from b.{s}.{t})").fetchone()[0] if cb == ca else None
    ok = cb == ca and tyb == tya and rb == ra and d1 == 0 and d2 == 0
    n += 1
    if not ok: bad += 1
    print(('OK  ' if ok else 'DIFF'), f"{s}.{t}", rb, ra, 'cols_same' if cb == ca else f'cols {cb} vs {ca}', 'types_same' if tyb == tya else 'TYPES DIFFER', d1, d2)
print(f"{n} tables compared, {bad} differ")
