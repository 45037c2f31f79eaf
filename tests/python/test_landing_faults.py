"""Real-world and hostile landing folders through a whole build (issue 11).

One folder combines the faults: each file below states what must become of it. A second
build feeds hostile file names, column names and var values; a third checks that a missing or
empty landing folder stops the run before anything changes.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile" / "landing"

EVENT_HEADER = "Type,EventTimeStamp,SourceCustomerNumber,Email,SourceMessageNumber,URL"
# 2026-10-02 09:00:00 UTC in ms; the fixture's customers are C1..C4 (hostile folder).
T = 1790931600000

# file name -> (bytes, {row_number: (reason, reject_column)}): rows not listed are accepted.
FAULTS = {
    # Excel's CRLF file with an LF inside a quoted field, and an LF file with a CRLF inside.
    "excel_event_20261006060000.csv": (
        (f"{EVENT_HEADER}\r\nemailClick,{T},C1,,,\"https://brand.example/a\nb\"\r\n"
         f"emailOpen,{T + 1},C1,,,\r\n").encode(), {}),
    "lf_event_20261006070000.csv": (
        (f"{EVENT_HEADER}\nemailClick,{T + 2},C2,,,\"https://brand.example/c\r\nd\"\n"
         f"emailOpen,{T + 3},C2,,,\n").encode(), {}),
    # One line longer than the reader's maximum: rejected, the rest read.
    "long_event_20261006080000.csv": (
        (f"{EVENT_HEADER}\nemailClick,{T + 4},C1,,,https://brand.example/{'x' * 1_100_000}\n"
         f"emailOpen,{T + 5},C3,,,\n").encode(), {1: ("line_too_long", None)}),
    # An unterminated quote: the damaged line is rejected, the lines after it are not swallowed.
    "quote_event_20261006090000.csv": (
        (f"{EVENT_HEADER}\nemailClick,{T + 6},C1,,,\"https://brand.example/open\n"
         f"emailOpen,{T + 7},C2,,,\nemailOpen,{T + 8},C3,,,\n").encode(), {1: ("unterminated_quote", None)}),
    # Short rows; timestamps in seconds, negative, zero, year 9999.
    "odd_event_20261006100000.csv": (
        (f"{EVENT_HEADER}\nemailOpen,{T + 9}\nemailOpen,1790931600,C1,,,\nemailOpen,-5,C1,,,\n"
         f"emailOpen,0,C1,,,\nemailOpen,253402300799000,C1,,,\nemailOpen,{T + 10},C4,,,\n").encode(),
        {1: ("malformed_row", "SourceCustomerNumber"), 2: ("invalid_timestamp", "EventTimeStamp"),
         3: ("invalid_timestamp", "EventTimeStamp"), 4: ("invalid_timestamp", "EventTimeStamp"),
         5: ("invalid_timestamp", "EventTimeStamp")}),
    # A lower-case `email` header is the contract's Email, not a custom attribute.
    "lower_customer_20261006060000.csv": (
        b"SourceCustomerNumber,FirstName,email, Country \nC77,Lou,lou@example.com,US\n", {}),
    # A header-only file: an audit row with 0 rows.
    "empty_dispatch_20261006060000.csv": (b"SourceDispatchNumber,Name,SourceCampaignNumber\r\n", {}),
    # A partial update: a later row for a known campaign with an empty Name merges.
    "update_campaign_20261006060000.csv": (b"SourceCampaignNumber,Name,Description\nCMP1,,Updated text\n", {}),
    # ... and a partial row for a campaign never delivered complete is missing_required.
    "new_campaign_20261006060000.csv": (b"SourceCampaignNumber,Name,Description\nCMP404,,No name\n",
                                        {1: ("missing_required", "Name")}),
    # Files that cannot be read are quarantined, the rest builds.
    "bad_customer_20261006070000.csv": (b"SourceCustomerNumber,FirstName\nC78,Ren\xe9\n", "invalid_encoding"),
    "customer_notes.csv": (b"SourceCustomerNumber\nC79\n", "bad_file_name"),
}


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def faults_db(run_dbt, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("faults")
    landing = tmp / "landing"
    shutil.copytree(HOSTILE, landing)
    for name, (content, _) in FAULTS.items():
        (landing / name).write_bytes(content)
    proc = run_dbt(["build", "--exclude", "resource_type:unit_test"], workdir=tmp / "dbt", landing=landing)
    assert proc.returncode == 0, proc.stdout[-6000:]
    return tmp / "dbt" / "warehouse.duckdb"


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_each_fault_has_its_outcome(faults_db, name):
    _, expected = FAULTS[name]
    audit = query(faults_db, "select file_status, quarantine_reason, rows_read, rows_accepted, rows_rejected, "
                             f"physical_lines, blank_lines, lines_in_rows from audit.ingestion_audit where source_file = '{name}'")
    assert len(audit) == 1, audit
    status, reason, read, accepted, rejected, lines, blank, in_rows = audit[0]
    if isinstance(expected, str):
        assert (status, reason, read) == ("quarantined", expected, 0)
        return
    assert status == "loaded" and read == accepted + rejected
    assert lines == in_rows + blank  # every physical line accounted for
    got = {r: (reason, col) for r, reason, col in query(
        faults_db, f"select row_number, reason, reject_column from audit.rejected_rows where source_file = '{name}'")}
    assert got == expected


def test_multiline_values_are_kept_exactly(faults_db):
    urls = {u for (u,) in query(faults_db, "select url from staging.stg_cdp__events where url like 'https://brand.example/%'")}
    assert {"https://brand.example/a\nb", "https://brand.example/c\r\nd"} <= urls


def test_lower_case_header_maps_to_the_contract(faults_db):
    row = query(faults_db, "select email, country_code, custom_attributes from staging.stg_cdp__customers "
                           "where customer_id = 'C77'")
    assert row == [("lou@example.com", "US", None)]


def test_partial_update_merges(faults_db):
    row = query(faults_db, "select campaign_name, campaign_description from staging.stg_cdp__campaigns "
                           "where campaign_id = 'CMP1'")
    assert row and row[0][0] is not None and row[0][1] == "Updated text"
    assert query(faults_db, "select count(*) from staging.stg_cdp__campaigns where campaign_id = 'CMP404'") == [(0,)]


def test_header_only_file_is_audited(faults_db):
    assert query(faults_db, "select rows_read, physical_lines from audit.ingestion_audit "
                            "where source_file = 'empty_dispatch_20261006060000.csv'") == [(0, 0)]


# --- hostile names and values --------------------------------------------------------------

HOSTILE_NAMES = {
    "x'||(select 'pwned')||'_customer_20261007060000.csv":
        b"SourceCustomerNumber,FirstName,Email\nC90,Inj,inj@example.com\n",
    "o'brien_customer_20261007070000.csv": b"SourceCustomerNumber,FirstName\nC91,Obrien\n",
    'quo"te_customer_20261007080000.csv':
        'SourceCustomerNumber,FirstName,"Odd ""col\'umn""",Tier\\\nC92,Col,"v1",v2\n'.encode(),
}
HOSTILE_VARS = {"export_the_trade_desk_tracking_tag_id": "tag'); drop table x; --\\",
                "export_tiktok_event_source_id": "id\"'\\"}


@pytest.fixture(scope="module")
def hostile_names_db(run_dbt, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile_names")
    landing = tmp / "landing"
    shutil.copytree(HOSTILE, landing)
    for name, content in HOSTILE_NAMES.items():
        (landing / name).write_bytes(content)
    proc = run_dbt(["build", "--exclude", "resource_type:unit_test"], workdir=tmp / "dbt", landing=landing,
                   extra_vars=HOSTILE_VARS)
    assert proc.returncode == 0, proc.stdout[-6000:]
    return tmp / "dbt" / "warehouse.duckdb"


def test_hostile_file_names_are_recorded_literally(hostile_names_db):
    files = {f for (f,) in query(hostile_names_db, "select distinct source_file from staging.base_cdp__customers")}
    assert set(HOSTILE_NAMES) <= files
    systems = {s for (s,) in query(hostile_names_db, "select distinct source_system from staging.base_cdp__customers")}
    assert {"x'||(select 'pwned')||'", "o'brien", 'quo"te'} <= systems
    assert query(hostile_names_db, "select count(*) from staging.stg_cdp__customers where first_name = 'pwned'") == [(0,)]


def test_hostile_column_names_are_custom_attributes(hostile_names_db):
    (custom,) = query(hostile_names_db, "select custom_attributes from staging.stg_cdp__customers where customer_id = 'C92'")[0]
    assert json.loads(custom) == {"Odd \"col'umn\"": "v1", "Tier\\": "v2"}


def test_hostile_var_values_reach_the_exports_literally(hostile_names_db):
    tags = query(hostile_names_db, "select distinct tracking_tag_id from exports.export_the_trade_desk")
    assert tags in ([], [(HOSTILE_VARS["export_the_trade_desk_tracking_tag_id"],)])
    ids = query(hostile_names_db, "select distinct event_source_id from exports.export_tiktok")
    assert ids in ([], [(HOSTILE_VARS["export_tiktok_event_source_id"],)])


# --- the landing folder itself -------------------------------------------------------------

def table_counts(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        names = con.execute("select schema_name, table_name from duckdb_tables() "
                            "where schema_name in ('staging', 'marts', 'exports', 'audit')").fetchall()
        return {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in names}


@pytest.fixture(scope="module")
def built_hostile(run_dbt, tmp_path_factory) -> Path:
    """A warehouse built from the hostile folder, copied by the tests that change it."""
    workdir = tmp_path_factory.mktemp("built_hostile")
    proc = run_dbt(["build", "--exclude", "resource_type:unit_test"], workdir=workdir, landing=HOSTILE)
    assert proc.returncode == 0, proc.stdout[-4000:]
    return workdir / "warehouse.duckdb"


def copy_warehouse(db: Path, workdir: Path) -> None:
    workdir.mkdir(parents=True)
    shutil.copy2(db, workdir / db.name)


@pytest.mark.parametrize("case", ["missing", "empty", "not_a_folder"])
def test_missing_or_empty_folder_stops_before_anything_changes(run_dbt, built_hostile, tmp_path, case):
    workdir = tmp_path / "dbt"
    copy_warehouse(built_hostile, workdir)
    before = table_counts(workdir / "warehouse.duckdb")
    assert before["marts.fct_events"] > 0
    folder = tmp_path / "landing"
    if case == "empty":
        folder.mkdir()
    elif case == "not_a_folder":
        folder.write_text("not a folder")
    proc = run_dbt(["build", "--exclude", "resource_type:unit_test"], workdir=workdir, landing=folder)
    assert proc.returncode != 0
    assert "Nothing was built or changed" in proc.stdout, proc.stdout[-3000:]
    assert table_counts(workdir / "warehouse.duckdb") == before


def test_archived_files_keep_their_rows(run_dbt, built_hostile, tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(HOSTILE, landing)
    workdir = tmp_path / "dbt"
    copy_warehouse(built_hostile, workdir)
    before = table_counts(workdir / "warehouse.duckdb")
    for f in landing.glob("*event*.csv"):
        f.unlink()  # archived away by the operator
    proc = run_dbt(["build", "--exclude", "resource_type:unit_test"], workdir=workdir, landing=landing)
    assert proc.returncode == 0, proc.stdout[-4000:]
    after = table_counts(workdir / "warehouse.duckdb")
    for table in ("staging.base_cdp__events", "staging.stg_cdp__events", "marts.fct_events", "audit.rejected_rows"):
        assert after[table] == before[table] > 0, table


def test_a_file_replaced_by_a_header_only_file_loses_its_rows(run_dbt, tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(HOSTILE, landing)
    workdir = tmp_path / "dbt"
    build = ["build", "--select", "+path:models/staging", "+ingestion_audit", "--exclude", "resource_type:unit_test",
             "--indirect-selection", "cautious"]
    assert run_dbt(build, workdir=workdir, landing=landing).returncode == 0
    name = "web_event_20261004060000.csv"
    sql = f"select count(*) from staging.base_cdp__events where source_file = '{name}'"
    assert query(workdir / "warehouse.duckdb", sql)[0][0] > 0
    path = landing / name
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    proc = run_dbt(build, workdir=workdir, landing=landing)
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert query(workdir / "warehouse.duckdb", sql) == [(0,)]
    assert query(workdir / "warehouse.duckdb", "select rows_read, physical_lines from audit.ingestion_audit "
                                               f"where source_file = '{name}'") == [(0, 0)]
