"""Source freshness from what was loaded (issue 11, point 4).

`dbt source freshness` measures, per landing entity, the newest delivery stamp
(`file_loaded_at`) in the entity's base table, i.e. the files loaded into the warehouse, not
the landing views, which a daily run limits to the files it reads (the weekly feeds' views
are then empty: freshness used to report them at 0001-01-01 right after a good daily run).

Freshness compares with the wall clock, so the world is dated from today (UTC): a generated
sample whose last delivery is yesterday, a full build on yesterday, then one new day of files
(today's) and a daily run on today; freshness must pass. Then the same world without the
event files of the last four delivery days (the event feed is 3+ days late, past its 72-hour
error threshold): freshness must fail, on the event feed only.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "scripts" / "generate_sample.py"
TODAY = dt.datetime.now(dt.timezone.utc).date()
YESTERDAY = TODAY - dt.timedelta(days=1)
WORLD_ARGS = ["--as-of", YESTERDAY.isoformat(), "--customers", "200", "--days", "20",
              "--events", "1500", "--transactions", "200", "--seed", "5"]
FILE_RE = re.compile(r"^(?:.+_)?(?P<entity>transactionitem|transaction|campaign|dispatch|message|event"
                     r"|customer|organization)_(?P<ts>[0-9]{14})\.csv$", re.IGNORECASE)
ENTITIES = {"campaign", "dispatch", "message", "event", "customer", "transaction", "transactionitem",
            "organization"}


def generate(out: Path, *extra: str) -> list[Path]:
    proc = subprocess.run([sys.executable, str(GENERATOR), "--out", str(out), *WORLD_ARGS, *extra, "--jobs", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return sorted(out.glob("*.csv"))


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict[str, list[Path]]:
    base = tmp_path_factory.mktemp("world")
    history = generate(base / "history" / "landing")
    today = generate(base / "today" / "landing", "--only-day", TODAY.isoformat())
    assert history and today
    return {"history": history, "today": today}


def lay(files: list[Path], landing: Path) -> None:
    landing.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy2(f, landing / f.name)


def freshness_results(workdir: Path) -> dict[str, dict]:
    results = json.loads((workdir / "target" / "sources.json").read_text())["results"]
    return {r["unique_id"].split(".")[-1]: r for r in results}


def test_freshness_passes_right_after_a_good_daily_run(run_dbt, world, tmp_path):
    landing = tmp_path / "landing"
    lay(world["history"], landing)
    full = run_dbt(["build"], workdir=tmp_path, landing=landing, as_of=YESTERDAY.isoformat())
    assert full.returncode == 0, full.stdout[-4000:]
    lay(world["today"], landing)
    daily = run_dbt(["build", "--selector", "daily"], workdir=tmp_path, landing=landing, as_of=TODAY.isoformat())
    assert daily.returncode == 0, daily.stdout[-4000:]

    proc = run_dbt(["source", "freshness"], workdir=tmp_path, landing=landing, as_of=TODAY.isoformat())
    assert proc.returncode == 0, proc.stdout[-4000:]
    results = freshness_results(tmp_path)
    assert set(results) == ENTITIES | {"files"}  # the manifest: any file lately
    for entity, r in results.items():
        assert r["status"] in ("pass", "warn"), (entity, r["status"], r.get("max_loaded_at"))
        # measured on the loaded files: the weekly feeds too, although the daily run's landing
        # views hold no campaign file
        newest = dt.date.fromisoformat(r["max_loaded_at"][:10])
        assert TODAY - dt.timedelta(days=31) <= newest <= TODAY, (entity, r["max_loaded_at"])
    assert results["event"]["status"] == "pass"
    assert results["event"]["max_loaded_at"][:10] == TODAY.isoformat()


def test_freshness_fails_on_the_feed_that_is_late(run_dbt, world, tmp_path):
    # the event feed's newest file is stamped 5 days before today: past its 72-hour threshold
    cutoff = (TODAY - dt.timedelta(days=5)).strftime("%Y%m%d") + "235959"
    late = [f for f in world["history"]
            if not ((m := FILE_RE.match(f.name)) and m["entity"].lower() == "event" and m["ts"] > cutoff)]
    assert len(late) < len(world["history"])
    landing = tmp_path / "landing"
    lay(late, landing)
    base = run_dbt(["build", "--select", "+path:models/staging/cdp/base", "--resource-type", "seed", "model"],
                   workdir=tmp_path, landing=landing, as_of=YESTERDAY.isoformat())
    assert base.returncode == 0, base.stdout[-4000:]

    proc = run_dbt(["source", "freshness"], workdir=tmp_path, landing=landing, as_of=YESTERDAY.isoformat())
    assert proc.returncode == 1, proc.stdout[-4000:]
    results = freshness_results(tmp_path)
    assert results["event"]["status"] == "error", results["event"]
    assert {e for e, r in results.items() if r["status"] == "error"} == {"event"}
