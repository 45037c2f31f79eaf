"""Example Dagster definitions: closedloop's daily run as partitioned dbt assets
(docs/operations.md). Not part of the project and not tested by it: written against
dagster >= 1.8 and dagster-dbt >= 0.24 (`pip install dagster dagster-dbt` in the environment
that has closedloop's requirements). Load it with `dagster dev -f dagster_closedloop.py`.

* One partition per day; the partition of day D runs on day D+1 and uses as_of = D+1 (the
  partition's end), like `make daily` run on the morning of D+1: it sees the files stamped
  D+1, which hold the data of D.
* Every dbt model, seed and test is one asset (`dbt build` = the `daily` selector); the export
  files are one more asset downstream of the export tables (scripts/write_exports.py).
* Backfills run one partition per run (BackfillPolicy.multi_run(1)): dbt is called once per
  as_of. Run them oldest first, and never two runs at once: one DuckDB file has one writer.
  Set a run-queue limit for the tag below in dagster.yaml:
      run_queue:
        tag_concurrency_limits:
          - key: closedloop
            limit: 1
* A failed run is safe to re-execute as is (a run is idempotent for its as_of).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets, get_asset_key_for_model

CLOSEDLOOP_DIR = Path(os.environ.get("CLOSEDLOOP_DIR", "/opt/closedloop"))
os.environ.setdefault("CLOSED_LOOP_LANDING", "/data/cdp/landing")
os.environ.setdefault("CLOSED_LOOP_DB", "/data/closedloop/closedloop.duckdb")
os.environ.setdefault("CLOSED_LOOP_OUTPUT", "/data/closedloop/exports")

closedloop = DbtProject(project_dir=CLOSEDLOOP_DIR, profiles_dir=CLOSEDLOOP_DIR)
closedloop.prepare_if_dev()  # `dagster dev`: parses the project; in production ship target/manifest.json

daily_partitions = dg.DailyPartitionsDefinition(start_date="2026-11-01", timezone="UTC")


def as_of(context: dg.AssetExecutionContext) -> str:
    """The run date of a partition: the end of its day (see the module docstring)."""
    return context.partition_time_window.end.strftime("%Y-%m-%d")


@dbt_assets(
    manifest=closedloop.manifest_path,
    select="fqn:*",  # the `daily` selector of selectors.yml
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.multi_run(max_partitions_per_run=1),
    op_tags={"closedloop": "warehouse"},
)
def closedloop_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    dbt_vars = json.dumps({"as_of": as_of(context)})
    # Source freshness: a late feed is reported, not fatal (a later run picks its files up).
    freshness = dbt.cli(["source", "freshness", "--vars", dbt_vars], raise_on_error=False).wait()
    if not freshness.is_successful():
        context.log.warning("dbt source freshness: a landing feed is late (see the dbt log)")
    yield from dbt.cli(["build", "--vars", dbt_vars], context=context).stream()


@dg.asset(
    partitions_def=daily_partitions,
    deps=[get_asset_key_for_model([closedloop_dbt], "export_ledger")],
    op_tags={"closedloop": "export-files"},
    description="The platforms' export files of the day (scripts/write_exports.py).",
)
def closedloop_export_files(context: dg.AssetExecutionContext) -> None:
    subprocess.run(
        [str(CLOSEDLOOP_DIR / ".venv" / "bin" / "python"), "scripts/write_exports.py", "--as-of", as_of(context)],
        cwd=CLOSEDLOOP_DIR, check=True)


closedloop_daily_job = dg.define_asset_job(
    "closedloop_daily",
    selection=[closedloop_dbt, closedloop_export_files],
    partitions_def=daily_partitions,
    tags={"closedloop": "daily"},
)

defs = dg.Definitions(
    assets=[closedloop_dbt, closedloop_export_files],
    jobs=[closedloop_daily_job],
    # 07:00 UTC, after the CDP's 06:00 deliveries; targets the partition of the previous day.
    schedules=[dg.build_schedule_from_partitioned_job(closedloop_daily_job, hour_of_day=7)],
    resources={"dbt": DbtCliResource(project_dir=closedloop)},
)
