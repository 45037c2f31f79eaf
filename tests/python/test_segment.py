"""`make segment` (scripts/segment.py): an analysis compiled by dbt, run against the warehouse,
written as a formula-safe CSV with the export writer's helper.

A small warehouse with the two marts the analysis reads is written here (no dbt build): a
customer whose name starts like a spreadsheet formula must come out neutralised (leading '),
a negative number must stay a number, and the customer who converted is not in the segment.
"""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from conftest import ROOT


def test_segment_writes_a_formula_safe_csv(tmp_path):
    db = tmp_path / "segwh.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema marts")
    con.execute("""create table marts.fct_customer_message_activity as select * from (values
        ('c1', 'm1', 'k1', 'direct_mail', false, true, false, -1, timestamp '2026-10-10 08:00:00'),
        ('c2', 'm1', 'k1', 'direct_mail', false, true, true, 1, timestamp '2026-10-11 08:00:00'),
        ('c3', 'm2', 'k1', 'email', false, true, false, 1, timestamp '2026-10-12 08:00:00'))
        as t(customer_id, message_id, campaign_id, channel, is_holdout, is_sent, is_converted, sent_count, last_sent_at)""")
    con.execute("""create table marts.dim_customers as select * from (values
        ('c1', 'a@example.com', '=HYPERLINK("http://x")', 'Lee'),
        ('c2', 'b@example.com', 'Ann', 'Roe'),
        ('c3', 'c@example.com', 'Bo', '+Smith'))
        as t(customer_id, email, first_name, last_name)""")
    con.close()
    out = tmp_path / "seg.csv"
    env_db = {"CLOSED_LOOP_DB": str(db), "CLOSED_LOOP_LANDING": str(ROOT / "tests/fixtures/hostile/landing"),
              "DBT_PROFILES_DIR": str(ROOT)}
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "segment.py"), "customers_mailed_not_converted",
                           "--as-of", "2026-11-01", "--db", str(db), "--out", str(out),
                           "--vars", "{segment_channel: direct_mail}"],
                          cwd=ROOT, env={**os.environ, **env_db}, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"1 customers -> {out}" in proc.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["customer_id"] for r in rows] == ["c1"]          # c2 converted, c3 was emailed
    assert rows[0]["first_name"] == "'=HYPERLINK(\"http://x\")"  # neutralised
    assert rows[0]["messages_sent"] == "1"


def test_segment_refuses_an_unknown_analysis(tmp_path):
    db = tmp_path / "x.duckdb"
    duckdb.connect(str(db)).close()
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "segment.py"), "no_such_analysis", "--db", str(db)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "customers_mailed_not_converted" in proc.stderr
