"""The comparison statistics of the reports against scipy (issue 16, docs/marts.md).

The SQL macros (macros/cross_db/normal_cdf.sql, macros/reporting/comparisons.sql) are compiled
by dbt (`dbt compile --inline`, no warehouse needed) and run in DuckDB over generated counts;
every figure is recomputed with scipy.stats:

* the pooled two-proportion z-test's p-value equals scipy's chi-square test of the 2x2 table
  without continuity correction (chi2 = z^2), an independent computation;
* the 95 % interval is p1 - p2 -+ norm.ppf(0.975) * unpooled standard error;
* normal_cdf is within 1e-9 of scipy.stats.norm.cdf, relatively within 1e-6 far in the tail.

scipy is test-only (requirements-test.txt).
"""
from __future__ import annotations

import math
import random
import subprocess
from pathlib import Path

import duckdb
import pytest

scipy_stats = pytest.importorskip("scipy.stats", reason="scipy is test-only: pip install -r requirements-test.txt")

from conftest import DBT, ROOT, dbt_env  # noqa: E402

HOSTILE_LANDING = ROOT / "tests" / "fixtures" / "hostile" / "landing"


def compile_inline(sql: str, tmp_path: Path, extra_vars: str = "") -> str:
    env = dbt_env(tmp_path, HOSTILE_LANDING)
    proc = subprocess.run([str(DBT), "compile", "--quiet", "--inline", sql,
                           "--vars", "{as_of: '2026-11-01'" + extra_vars + "}"],
                          cwd=ROOT, env=env, text=True, capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def generated_cases() -> list[tuple[int, int, int, int, int]]:
    """(id, x1, n1, x2, n2): random counts plus the edge cases."""
    rng = random.Random(16)
    cases = [
        (0, 1), (1, 1), (0, 0), (5, 5), (1, 2), (30, 30), (0, 1000), (1000, 1000),
    ]
    rows = [(1, 0, 10, 0, 10), (2, 10, 10, 10, 10), (3, 1, 1, 0, 1), (4, 0, 1, 1, 1),
            (5, 500, 1000, 100, 1000),          # z about 19: p-value about 1e-80
            (6, 90_000, 200_000, 60_000, 200_000),  # z about 100: p-value 0 in doubles
            (7, 3, 40, 3, 40), (8, 12, 29, 4, 31), (9, 1, 60, 0, 1)]  # 1 holdout
    for i in range(10, 210):
        n1, n2 = rng.randint(1, 5000), rng.randint(1, 5000)
        p1 = rng.random()
        p2 = min(1.0, max(0.0, p1 + rng.uniform(-0.1, 0.1)))
        rows.append((i, sum(rng.random() < p1 for _ in range(n1)) if n1 < 200 else round(n1 * p1),
                     n1, round(n2 * p2), n2))
    assert cases  # edge pairs documented above are in rows 1-4
    return rows


def expected(x1: int, n1: int, x2: int, n2: int, alpha: float, min_n: int) -> dict:
    p1, p2 = x1 / n1, x2 / n2
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    if 0 < (x1 + x2) < (n1 + n2):
        p_value = float(scipy_stats.chi2_contingency(table, correction=False)[1])
    else:
        p_value = 1.0  # pooled rate 0 or 1: both rates are equal (documented rule)
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    z = scipy_stats.norm.ppf(0.975)
    sufficient = n1 >= min_n and n2 >= min_n
    return {"p_value": p_value, "low": p1 - p2 - z * se, "high": p1 - p2 + z * se,
            "significant": bool(sufficient and p_value < alpha), "sufficient": sufficient}


SQL = """
with cases as (select * from stats_cases),
tested as (
    select id, {{ proportion_test_inputs('r', 'x1', 'n1', 'x2', 'n2') }} from cases
)
select id, {{ proportion_test_columns('r') }} from tested order by id
"""


@pytest.mark.parametrize("alpha,min_n,extra_vars", [(0.05, 30, ""),
                                                    (0.2, 5, ", comparison_alpha: 0.2, comparison_min_recipients_per_arm: 5")])
def test_two_proportion_statistics_match_scipy(tmp_path, alpha, min_n, extra_vars):
    rows = generated_cases()
    con = duckdb.connect()
    con.execute("create table stats_cases (id integer, x1 bigint, n1 bigint, x2 bigint, n2 bigint)")
    con.executemany("insert into stats_cases values (?, ?, ?, ?, ?)", rows)
    got = con.execute(compile_inline(SQL, tmp_path, extra_vars)).fetchall()
    assert len(got) == len(rows)
    for (i, x1, n1, x2, n2), (gid, p_value, low, high, significant, sufficient) in zip(rows, got):
        assert gid == i
        want = expected(x1, n1, x2, n2, alpha, min_n)
        case = f"case {i}: {x1}/{n1} vs {x2}/{n2}"
        assert p_value == pytest.approx(want["p_value"], rel=1e-6, abs=1e-9), case
        assert low == pytest.approx(want["low"], abs=1e-9), case
        assert high == pytest.approx(want["high"], abs=1e-9), case
        assert significant is want["significant"], case
        assert sufficient is want["sufficient"], case


def test_empty_arm_gives_null_statistics_and_not_sufficient(tmp_path):
    con = duckdb.connect()
    con.execute("create table stats_cases as select 1 as id, 3 as x1, 40 as n1, 0 as x2, 0 as n2")
    (row,) = con.execute(compile_inline(SQL, tmp_path)).fetchall()
    assert row == (1, None, None, None, False, False)


def test_normal_cdf_matches_scipy(tmp_path):
    xs = [i / 100 for i in range(-1000, 1001, 7)] + [-40.0, -38.0, -37.5, -30.0, -20.0, -8.5, 8.5, 20.0, 40.0]
    con = duckdb.connect()
    con.execute("create table grid (x double)")
    con.executemany("insert into grid values (?)", [(x,) for x in xs])
    sql = compile_inline("select x, {{ normal_cdf('x') }} as phi from grid order by x", tmp_path)
    for x, phi in con.execute(sql).fetchall():
        want = scipy_stats.norm.cdf(x)
        assert phi == pytest.approx(want, abs=1e-9), x
        if want > 1e-300:
            assert phi == pytest.approx(want, rel=1e-6), x


def test_direct_mail_lift_of_the_sample_matches_scipy(sample_warehouse):
    """The model's own figures (built on the sample) are scipy's, and the 1-holdout dispatch is
    not a sufficient sample."""
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    rows = con.execute("""
        select dispatch_id, mailed_responders, mailed_recipients, holdout_responders, holdout_recipients,
               p_value, diff_ci_low, diff_ci_high, is_significant, is_sample_sufficient
        from marts.rpt_direct_mail_lift order by dispatch_id""").fetchall()
    con.close()  # the warehouse file must not stay locked by this process (mf opens it later)
    assert rows
    assert any(r[4] == 1 and r[9] is False for r in rows), "the sample has a dispatch with one holdout"
    for d, x1, n1, x2, n2, p_value, low, high, significant, sufficient in rows:
        if n1 == 0 or n2 == 0:
            assert (p_value, low, high, significant, sufficient) == (None, None, None, False, False), d
            continue
        want = expected(x1, n1, x2, n2, 0.05, 30)
        assert p_value == pytest.approx(want["p_value"], rel=1e-6, abs=1e-9), d
        assert low == pytest.approx(want["low"], abs=1e-9), d
        assert high == pytest.approx(want["high"], abs=1e-9), d
        assert (significant, sufficient) == (want["significant"], want["sufficient"]), d
