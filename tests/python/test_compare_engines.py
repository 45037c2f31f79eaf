"""The engine comparison's normalization (scripts/compare_engines.py): values that mean the same
on DuckDB, Spark and PostgreSQL must hash the same, and values that differ must not."""

import datetime as dt
import decimal
import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "compare_engines.py"
spec = importlib.util.spec_from_file_location("compare_engines", SCRIPT)
ce = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ce)


def test_numbers_of_any_type_normalize_to_fixed_scale():
    assert ce.norm(5) == ce.norm(decimal.Decimal("5.0000")) == ce.norm(5.0) == "5.000000"
    assert ce.norm(decimal.Decimal("12.3456")) == ce.norm(12.3456) == "12.345600"
    assert ce.norm(decimal.Decimal("-0.0000")) == "0.000000"
    assert ce.norm(decimal.Decimal("0.1")) != ce.norm(decimal.Decimal("0.2"))


def test_booleans_are_not_numbers():
    assert ce.norm(True) == "true" and ce.norm(False) == "false"
    assert ce.norm(True) != ce.norm(1)


def test_timestamps_compare_in_utc():
    naive = dt.datetime(2026, 10, 4, 14, 0, 0, 250000)
    aware = dt.datetime(2026, 10, 4, 10, 0, 0, 250000, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    assert ce.norm(naive) == ce.norm(aware) == "2026-10-04T14:00:00.250000"
    assert ce.norm(dt.date(2026, 10, 4)) == "2026-10-04"


def test_json_text_ignores_spacing_and_key_order():
    assert ce.norm('{"b": 1, "a": "x"}') == ce.norm('{"a":"x","b":1}')
    assert ce.norm('{"a": 1}') != ce.norm('{"a": 2}')
    assert ce.norm("{not json") == "{not json"


def test_null_differs_from_empty_text():
    assert ce.norm(None) != ce.norm("")
    assert ce.norm(None) != ce.norm("None")


def test_checksum_is_order_independent_but_counts_duplicates():
    rows = [("a", 1), ("b", 2), ("a", 1)]
    n1, sum1, _ = ce.summarize(rows)
    n2, sum2, _ = ce.summarize(list(reversed(rows)))
    n3, sum3, _ = ce.summarize(rows[:2])
    assert (n1, sum1) == (n2, sum2)
    assert n3 == 2 and sum3 != sum1


def test_type_kinds():
    assert ce.kind("VARCHAR") == ce.kind("string") == ce.kind("text") == "text"
    assert ce.kind("DECIMAL(18,4)") == ce.kind("bigint") == ce.kind("numeric(18,4)") == "number"
    assert ce.kind("TIMESTAMP") == ce.kind("timestamp without time zone") == "timestamp"
    assert ce.kind("boolean") == "boolean" and ce.kind("date") == "date"
