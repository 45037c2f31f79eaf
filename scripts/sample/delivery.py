"""The files of each delivery day (0 = first full loads; s >= 1 holds the data of day s-1,
plus the weekly files every 7th day), written by forked worker processes over chunks of
consecutive days; the output does not depend on their number."""
from __future__ import annotations

import multiprocessing
from pathlib import Path

from .catalog import organization_lines
from .context import DayContext
from .customers import customer_daily_lines, customer_full_rows, customer_weekly_lines
from .events import day_event_lines
from .files import write_feed
from .metadata import campaign_metadata
from .params import WEEKLY_EVERY
from .transactions import transactions_for_day
from .world import World


def write_initial(w: World, out_dir: Path) -> list[dict]:
    results = [write_feed(w, out_dir, "organization", 0, organization_lines(w)),
               write_feed(w, out_dir, "customer_full", 0, customer_full_rows(w),
                          n_good=w.n_initial)]
    for kind, (lines, header) in campaign_metadata(w, 0).items():
        results.append(write_feed(w, out_dir, kind, 0, lines, header=header))
    return [r for r in results if r]


def write_delivery_day(w: World, ctx: DayContext, out_dir: Path, s: int) -> list[dict]:
    """All files stamped on delivery day s >= 1 (data of day s-1, plus weekly files)."""
    k = s - 1
    results = []
    if s % WEEKLY_EVERY == 0:
        for kind, (lines, header) in campaign_metadata(w, s).items():
            results.append(write_feed(w, out_dir, kind, s, lines, header=header))
        lines, header = customer_weekly_lines(w, s)
        results.append(write_feed(w, out_dir, "customer_weekly", s, lines, header=header))
    results.append(write_feed(w, out_dir, "customer_daily", s, customer_daily_lines(w, s)))
    prev_corrections = ctx.get_corrections(k - 1)
    txn = transactions_for_day(w, ctx, k)
    events = day_event_lines(w, ctx, k, txn["checkouts"])
    for kind in ("esp_event", "sms_event", "dm_event", "web_event", "custom_event"):
        results.append(write_feed(w, out_dir, kind, s, events[kind]))
    for channel in ("pos", "ecom"):
        lines = txn[f"{channel}_transaction"]
        results.append(write_feed(w, out_dir, f"{channel}_transaction", s, lines))
        items = txn[f"{channel}_transactionitem"] + prev_corrections[channel]
        parent = lines[0].split(",", 1)[0] if lines else f"T{w.ymd(k)}000001"
        results.append(write_feed(w, out_dir, f"{channel}_transactionitem", s, items,
                                  context={"parent_transaction": parent}))
    ctx.prune(k)
    return [r for r in results if r]


# Worker plumbing: the world is built once and inherited by forked workers.
_WORLD: World | None = None
_OUT: Path | None = None


def _run_task(task: tuple) -> list[dict]:
    w, out_dir = _WORLD, _OUT
    if task[0] == "initial":
        return write_initial(w, out_dir)
    ctx = DayContext(w)
    results = []
    for s in range(task[1], task[2] + 1):
        results.extend(write_delivery_day(w, ctx, out_dir, s))
    return results


def generate(w: World, out_dir: Path, days: list[int], jobs: int) -> list[dict]:
    """Write the files of the given delivery days (0 = first full loads)."""
    global _WORLD, _OUT
    _WORLD, _OUT = w, out_dir
    tasks: list[tuple] = []
    if 0 in days:
        tasks.append(("initial",))
    rest = sorted(d for d in days if d > 0)
    if rest:
        n_chunks = max(1, min(len(rest), jobs * 2 if jobs > 1 else 1))
        size = -(-len(rest) // n_chunks)
        for i in range(0, len(rest), size):
            chunk = rest[i:i + size]
            tasks.append(("days", chunk[0], chunk[-1]))
    methods = multiprocessing.get_all_start_methods()
    if jobs > 1 and len(tasks) > 1 and "fork" in methods:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(tasks))) as pool:
            parts = pool.map(_run_task, tasks, chunksize=1)
    else:
        parts = [_run_task(t) for t in tasks]
    return [r for part in parts for r in part]
