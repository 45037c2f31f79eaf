"""Example Airflow DAG: closedloop's daily run (docs/operations.md). Not part of the project:
copy it into your Airflow `dags/` folder and adapt the paths. Needs Airflow >= 2.4 (2.x or
3.x); closedloop needs only its own checkout and `.venv` on the worker (`make setup`).

One DAG run per day, in order, never two at a time (one DuckDB file has one writer):

    freshness  ->  daily
    (alerts)       make daily AS_OF=<the run's date>: dbt build --selector daily + export files

* AS_OF is the date the run happens on (`data_interval_end`), not Airflow's `ds` (the start
  of the interval, i.e. yesterday): a run on the morning of 2026-11-02 must see the files
  stamped 2026-11-02, which hold the data of 2026-11-01.
* `freshness` fails when a feed is late (no file for 72 h; warns after 36 h). The daily run
  goes on anyway (`trigger_rule="all_done"`): late files are picked up by a later run. Make
  it a hard dependency (remove the trigger rule) if you would rather not export at all on a
  day a feed is missing.
* Exit codes: `make` exits 0 when everything was built, tested and written, 2 otherwise
  (dbt's own 1 = a model or test failed / 2 = dbt could not run, are in the task log).
  A failed task is safe to clear and re-run: a run is idempotent for its AS_OF.
* `daily` waits for the previous day's `daily` to have succeeded (depends_on_past): export
  files go out in date order, and a failure is fixed (or the task marked success) before the
  next day runs. Backfill a range (in date order, one at a time thanks to max_active_runs=1): `airflow dags backfill -s 2026-10-01 -e 2026-10-07 closedloop_daily`
  (Airflow 3: `airflow backfill create --dag-id closedloop_daily --from-date ... --to-date ...`),
  or outside Airflow `make backfill FROM=2026-10-02 TO=2026-10-08` (note the +1 day: AS_OF is
  the interval end).
"""
from __future__ import annotations

import datetime as dt

from airflow import DAG

try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2
    from airflow.operators.bash import BashOperator

CLOSEDLOOP_DIR = "/opt/closedloop"            # the project checkout (make setup done once)
ENV = {
    "CLOSED_LOOP_LANDING": "/data/cdp/landing",      # where the CDP drops its files
    "CLOSED_LOOP_DB": "/data/closedloop/closedloop.duckdb",
    "CLOSED_LOOP_OUTPUT": "/data/closedloop/exports",  # export files for the platforms' senders
    "AS_OF": "{{ data_interval_end | ds }}",
}

with DAG(
    dag_id="closedloop_daily",
    description="closedloop: stage the day's CDP files, rebuild marts, write platform exports",
    schedule="0 7 * * *",                     # 07:00 UTC, after the CDP's 06:00 deliveries
    start_date=dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc),
    catchup=False,
    max_active_runs=1,                         # DuckDB: one writer at a time
    default_args={
        "retries": 2,                          # a failed run is safe to retry as is
        "retry_delay": dt.timedelta(minutes=15),
    },
    tags=["closedloop", "dbt"],
) as dag:
    freshness = BashOperator(
        task_id="freshness",
        bash_command="make freshness",
        cwd=CLOSEDLOOP_DIR,
        env=ENV,
        append_env=True,
    )
    daily = BashOperator(
        task_id="daily",
        bash_command="make daily",
        cwd=CLOSEDLOOP_DIR,
        env=ENV,
        append_env=True,
        trigger_rule="all_done",               # run even when a feed is late (see above)
        depends_on_past=True,                  # dates in order; a failed day blocks the next
        execution_timeout=dt.timedelta(hours=3),
    )
    freshness >> daily
