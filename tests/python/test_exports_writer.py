"""scripts/write_exports.py on a hand-made DuckDB file (no dbt): the delta filter (ledger rows
of the as_of; the snapshot hash for customer-grain platforms), header names, formats, row
order, null policies, file splitting and the as_of guard. Runs in about a second."""
from __future__ import annotations

import datetime as dt
import decimal
import json
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import write_exports  # noqa: E402

AS_OF = "2026-11-01"

LAYOUT = [
    # platform, model, grain, format, null_policy, max_rows, position, column, header, kind, sort
    ("csvp", "export_csvp", "conversion", "csv", "empty", None, 1, "order_id", "OrderId", "text", 2),
    ("csvp", "export_csvp", "conversion", "csv", "empty", None, 2, "timestamp_utc", "TimestampUtc", "text", 1),
    ("csvp", "export_csvp", "conversion", "csv", "empty", None, 3, "value", "Value", "number", None),
    ("csvp", "export_csvp", "conversion", "csv", "empty", None, 4, "note", "note", "text", None),
    ("jsonp", "export_jsonp", "conversion", "jsonl", "omit", None, 1, "event_id", "event_id", "text", 1),
    ("jsonp", "export_jsonp", "conversion", "jsonl", "omit", None, 2, "value", "value", "number", None),
    ("jsonp", "export_jsonp", "conversion", "jsonl", "omit", None, 3, "contents", "contents", "json", None),
    ("keepp", "export_keepp", "customer", "jsonl", "keep", None, 1, "external_id", "external_id", "text", 1),
    ("keepp", "export_keepp", "customer", "jsonl", "keep", None, 2, "email", "email", "text", None),
    ("splitp", "export_splitp", "line", "csv", "empty", 2, 1, "order_id", "order_id", "text", 1),
]


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema exports")
    con.execute(
        "create table exports.export_layout (platform varchar, model_name varchar, grain varchar, file_format varchar,"
        " null_policy varchar, max_rows_per_file bigint, column_position integer, column_name varchar,"
        " header_name varchar, value_kind varchar, sort_position integer, as_of date)")
    for row in LAYOUT:
        con.execute("insert into exports.export_layout values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [*row, dt.date.fromisoformat(AS_OF)])
    con.execute("create table exports.export_csvp (order_id varchar, timestamp_utc varchar,"
                " value decimal(18, 2), note varchar, export_key varchar)")
    con.execute("insert into exports.export_csvp values"
                " ('B', '2026-10-31T10:00:00Z', 10.50, 'a, \"quoted\"\nnote', 'B'),"
                " ('A', '2026-10-31T10:00:00Z', 100, null, 'A'),"
                " ('C', '2026-10-30T09:00:00Z', 0.10, 'é', 'C'),"
                " ('Z', '2026-10-29T09:00:00Z', 5, 'sent the day before', 'Z')")
    con.execute("create table exports.export_jsonp (event_id varchar, value decimal(18, 2),"
                " contents varchar, cdp_customer_id varchar, export_key varchar)")
    con.execute("insert into exports.export_jsonp values"
                " ('e2', null, null, 'C2', 'e2'), ('e1', 12.00, '[{\"id\":\"P1\",\"item_price\":6.00}]', 'C1', 'e1'),"
                " ('e9', 1, null, 'C9', 'e9')")
    con.execute("create table exports.export_keepp (external_id varchar, email varchar, export_key varchar,"
                " attributes_hash varchar)")
    con.execute("insert into exports.export_keepp values ('c2', null, 'c2', 'h2'), ('c1', 'a@b.co', 'c1', 'h1'),"
                " ('c3', 'changed@b.co', 'c3', 'h3-new')")
    con.execute("create table exports.export_splitp (order_id varchar, export_key varchar)")
    con.execute("insert into exports.export_splitp values ('3', '3'), ('1', '1'), ('2', '2'), ('4', '4'), ('5', '5')")
    # The ledger: what this as_of sends. Z was sent on the day before and e9 never is; c3 was
    # recorded with another snapshot than the one the table holds now.
    con.execute("create table exports.export_ledger (platform varchar, event_id varchar, first_sent_as_of date,"
                " attributes_hash varchar, file_rows bigint)")
    sent = [("csvp", k, AS_OF, None) for k in "ABC"] + [("csvp", "Z", "2026-10-31", None)]
    sent += [("jsonp", "e1", AS_OF, None), ("jsonp", "e2", AS_OF, None)]
    sent += [("keepp", "c1", AS_OF, "h1"), ("keepp", "c2", AS_OF, "h2"), ("keepp", "c3", AS_OF, "h3-old")]
    sent += [("splitp", k, AS_OF, None) for k in "12345"]
    for platform, key, day, attributes_hash in sent:
        con.execute("insert into exports.export_ledger values (?, ?, ?, ?, 1)",
                    [platform, key, dt.date.fromisoformat(day), attributes_hash])
    con.close()
    return path


def write(db, out, *extra):
    return write_exports.main(["--as-of", AS_OF, "--db", str(db), "--out", str(out), *extra])


def test_csv_has_platform_headers_sorted_rows_and_exact_formatting(db, tmp_path):
    assert write(db, tmp_path / "out") == 0
    text = (tmp_path / "out" / "csvp" / f"{AS_OF}.csv").read_bytes().decode("utf-8")
    assert text == (
        "OrderId,TimestampUtc,Value,note\n"
        "C,2026-10-30T09:00:00Z,0.10,é\n"
        "A,2026-10-31T10:00:00Z,100.00,\n"
        'B,2026-10-31T10:00:00Z,10.50,"a, ""quoted""\nnote"\n'
    )


def test_jsonl_omits_nulls_embeds_json_and_keeps_numbers(db, tmp_path):
    assert write(db, tmp_path / "out") == 0
    lines = (tmp_path / "out" / "jsonp" / f"{AS_OF}.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines == [
        '{"event_id":"e1","value":12.00,"contents":[{"id":"P1","item_price":6.00}]}',
        '{"event_id":"e2"}',
    ]
    assert "cdp_customer_id" not in "".join(lines)


def test_jsonl_keep_policy_writes_null(db, tmp_path):
    assert write(db, tmp_path / "out") == 0
    lines = (tmp_path / "out" / "keepp" / f"{AS_OF}.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines == ['{"external_id":"c1","email":"a@b.co"}', '{"external_id":"c2","email":null}']


def test_same_tables_give_byte_identical_files(db, tmp_path):
    assert write(db, tmp_path / "a") == 0
    assert write(db, tmp_path / "b") == 0
    for path in sorted((tmp_path / "a").rglob("*.*")):
        assert (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes() == path.read_bytes()


def test_max_rows_per_file_spills_and_stale_parts_go(db, tmp_path):
    out = tmp_path / "out"
    (out / "splitp").mkdir(parents=True)
    (out / "splitp" / f"{AS_OF}_9.csv").write_text("stale")
    assert write(db, out, "--platform", "splitp") == 0
    files = sorted(p.name for p in (out / "splitp").iterdir())
    assert files == [f"{AS_OF}.csv", f"{AS_OF}_2.csv", f"{AS_OF}_3.csv"]
    assert (out / "splitp" / f"{AS_OF}.csv").read_text() == "order_id\n1\n2\n"
    assert (out / "splitp" / f"{AS_OF}_3.csv").read_text() == "order_id\n5\n"


def test_streamed_batches_split_files_as_one_pass_would(db, tmp_path):
    """Rows are fetched in batches: batches smaller than, equal to and larger than the file
    limit give the same files, byte for byte."""
    con = duckdb.connect(str(db), read_only=True)
    schema, platforms = write_exports.read_layout(con)
    outputs = {}
    for batch_rows in (1, 2, 3, 50_000):
        out = tmp_path / f"b{batch_rows}"
        write_exports.write_platform(con, schema, "splitp", platforms["splitp"], AS_OF, out, batch_rows=batch_rows)
        outputs[batch_rows] = {p.name: p.read_bytes() for p in sorted((out / "splitp").iterdir())}
    con.close()
    assert len(outputs[50_000]) == 3
    assert all(files == outputs[50_000] for files in outputs.values())


def test_empty_delta_still_writes_a_header_only_file(db, tmp_path):
    con = duckdb.connect(str(db))
    con.execute("delete from exports.export_csvp")
    con.close()
    assert write(db, tmp_path / "out", "--platform", "csvp") == 0
    assert (tmp_path / "out" / "csvp" / f"{AS_OF}.csv").read_text() == "OrderId,TimestampUtc,Value,note\n"


def test_refuses_tables_built_for_another_as_of(db, tmp_path, capsys):
    code = write_exports.main(["--as-of", "2026-11-02", "--db", str(db), "--out", str(tmp_path / "out")])
    assert code == 2
    assert "hold as_of 2026-11-01" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_unknown_platform_and_missing_db_fail_clearly(db, tmp_path):
    assert write(db, tmp_path / "out", "--platform", "nope") == 2
    assert write_exports.main(["--as-of", AS_OF, "--db", str(tmp_path / "missing.duckdb")]) == 2


@pytest.mark.parametrize("value, expected", [
    (decimal.Decimal("1E+2"), "100"),
    (decimal.Decimal("0.10"), "0.10"),
    (7, "7"),
    (True, "true"),
    (1.5, "1.5"),
    ("x", "x"),
])
def test_scalars_never_use_exponent_form(value, expected):
    assert write_exports.format_scalar(value) == expected


def test_json_value_rejects_invalid_json_and_numbers():
    with pytest.raises(json.JSONDecodeError):
        write_exports.json_value("[not json", "json")
    with pytest.raises(write_exports.ExportError):
        write_exports.json_value("12abc", "number")


def test_csv_cells_that_start_a_formula_are_neutralised_by_kind():
    """OWASP CSV Injection: = + - @ tab CR at the start of a text cell get a leading '."""
    for value in ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-42", "@SUM(1+1)", "\tx", "\rx"]:
        assert write_exports.csv_cell(value, "text") == "'" + value
    assert write_exports.csv_cell("P-1=2", "text") == "P-1=2"  # only the first character counts
    assert write_exports.csv_cell(decimal.Decimal("-5.00"), "number") == "-5.00"  # a number
    assert write_exports.csv_cell("+" + "A" * 42 + "=", "hash") == "+" + "A" * 42 + "="  # Base64
    with pytest.raises(write_exports.ExportError):
        write_exports.csv_cell("=1+2", "number")
    with pytest.raises(write_exports.ExportError):
        write_exports.csv_cell("alice@example.com", "hash")
    line = write_exports.csv_lines(None, [("=1+2", decimal.Decimal("-1.50"), "a" * 64)], ["text", "number", "hash"])
    assert line == "'=1+2,-1.50," + "a" * 64 + "\n"


@pytest.mark.parametrize("value, expected", [
    (decimal.Decimal("2.5000"), "2.5"), (decimal.Decimal("3.0000"), "3"), (decimal.Decimal("10.0000"), "10"),
    (4, "4"),
])
def test_quantities_are_written_exactly(value, expected):
    assert write_exports.csv_cell(value, "quantity") == expected
    assert write_exports.json_value(value, "quantity") == expected


def test_a_written_file_is_kept_and_only_restored_with_the_same_bytes(db, tmp_path, capsys):
    out = tmp_path / "out"
    assert write(db, out, "--platform", "csvp") == 0
    path = out / "csvp" / f"{AS_OF}.csv"
    first = path.read_bytes()
    con = duckdb.connect(str(db))
    con.execute("update exports.export_csvp set value = 99 where order_id = 'A'")
    con.close()
    capsys.readouterr()
    assert write(db, out, "--platform", "csvp") == 0  # recorded: kept, not rewritten
    assert path.read_bytes() == first
    assert "already written, kept" in capsys.readouterr().out
    path.unlink()
    assert write(db, out, "--platform", "csvp") == 2  # cannot restore other content
    assert not path.exists()
    assert "not rewritten" in capsys.readouterr().err
    con = duckdb.connect(str(db))
    con.execute("update exports.export_csvp set value = 100 where order_id = 'A'")
    con.close()
    assert write(db, out, "--platform", "csvp") == 0  # the same bytes again: restored
    assert path.read_bytes() == first


def test_not_ready_and_behind_platforms_get_no_file(db, tmp_path, capsys):
    con = duckdb.connect(str(db))
    con.execute("create table exports.export_file_status (platform varchar, as_of date, file_status varchar,"
                " is_ready boolean, not_ready_reason varchar, latest_file_as_of date, window_days integer)")
    con.execute(f"insert into exports.export_file_status values"
                f" ('csvp', '{AS_OF}', 'not_ready', false, 'var x is empty (X)', null, 1),"
                f" ('jsonp', '{AS_OF}', 'behind', true, null, '2026-11-05', 1),"
                f" ('keepp', '{AS_OF}', 'new', true, null, null, null)")
    con.close()
    assert write(db, tmp_path / "out") == 0
    captured = capsys.readouterr()
    assert "WARNING csvp is not ready: var x is empty (X)" in captured.err
    assert not (tmp_path / "out" / "csvp").exists()
    assert not (tmp_path / "out" / "jsonp").exists()
    assert (tmp_path / "out" / "keepp" / f"{AS_OF}.jsonl").exists()
    con = duckdb.connect(str(db), read_only=True)
    recorded = con.execute("select platform, file_name, row_count from exports.export_files order by 1, 2").fetchall()
    con.close()
    assert ("keepp", f"{AS_OF}.jsonl", 2) in recorded
    assert not [r for r in recorded if r[0] in ("csvp", "jsonp")]


@pytest.mark.parametrize("as_of", ["20261101", "2026-W44-7", "2026-02-30", ""])
def test_writer_refuses_an_as_of_that_is_not_a_calendar_date(as_of, tmp_path):
    with pytest.raises(SystemExit) as e:
        write_exports.main(["--as-of", as_of, "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path)])
    assert e.value.code == 2
