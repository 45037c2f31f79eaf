"""Command line: arguments, the stamp check, a full run or one --only-day."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from .delivery import generate
from .manifests import write_manifests
from .params import EXTENSION_DAYS
from .stamp import (STAMP_FILE, candidate_files, delete_listed, read_json, stamp_arguments,
                    write_json)
from .world import World



def _calendar_date(text: str) -> dt.date:
    """YYYY-MM-DD and nothing else (fromisoformat alone also takes 20261102)."""
    day = dt.date.fromisoformat(text)
    if day.isoformat() != text:
        raise ValueError(text)
    return day

def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Deterministic sample-feed generator for closedloop (see scripts/sample/"
                    "__init__.py for the world model).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "Data covers the D days [as_of - D, as_of - 1]; the data of day d is in files stamped\n"
            "d+1 06:00:00, the first full loads are stamped as_of - D 05:00:00, weekly change\n"
            "files every 7th day. Also writes DIR/../expected_rejects.csv (one line per injected\n"
            "bad row) and DIR/../generator_summary.json (rows per file and entity).\n\n"
            "A stamp file DIR/.generator.json records the arguments: when it matches and all\n"
            "files are there, nothing is done (exit 0). Otherwise the files listed in it are\n"
            "deleted and the sample is regenerated. CSV files the generator did not list are\n"
            "never deleted.\n\n"
            "--only-day DAY writes only the files whose name is stamped on DAY, i.e. the data of\n"
            "DAY - 1 (plus the weekly change files when DAY is a weekly day, or the first full\n"
            "loads when DAY = as_of - D), from the same world, byte-identical to a full run.\n"
            f"DAY may go up to as_of + {EXTENSION_DAYS}: the world continues after as_of, so the\n"
            "day after as_of can be added on top of a full sample made with the same arguments.\n"
            "Files of other days are left alone; the manifests are merged."))
    p.add_argument("--out", required=True, type=Path, metavar="DIR",
                   help="landing folder to write (manifests go to DIR/..)")
    p.add_argument("--as-of", required=True, type=_calendar_date, metavar="YYYY-MM-DD",
                   help="run date; data covers the --days days before it")
    p.add_argument("--customers", type=int, default=2000, metavar="N",
                   help="customers at as_of (default 2000; ~10%% are created in the window)")
    p.add_argument("--days", type=int, default=60, metavar="D", help="days of data (default 60)")
    p.add_argument("--events", type=int, default=None, metavar="N",
                   help="events of the window, within ~1%% (default customers*days/12)")
    p.add_argument("--transactions", type=int, default=None, metavar="N",
                   help="transactions of the window (default customers*days/60)")
    p.add_argument("--seed", type=int, default=7, metavar="S", help="random seed (default 7)")
    p.add_argument("--bad-rows", type=int, default=3, metavar="K",
                   help="injected bad rows per reject reason (default 3)")
    p.add_argument("--only-day", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="write only the files delivered on this day (see below)")
    p.add_argument("--force", action="store_true",
                   help="regenerate even when the stamp file matches")
    p.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1), metavar="J",
                   help="worker processes; the output does not depend on it "
                        "(default: CPUs, at most 4)")
    args = p.parse_args(argv)
    if args.events is None:
        args.events = args.customers * args.days // 12
    if args.transactions is None:
        args.transactions = args.customers * args.days // 60
    if args.days < 1 or args.customers < 20 or args.events < 0 or args.transactions < 0 \
            or args.bad_rows < 0 or args.seed < 0:
        p.error("need --days >= 1, --customers >= 20 and non-negative counts")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    out_dir = args.out.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp_path = out_dir / STAMP_FILE
    stamp = read_json(stamp_path)
    wanted = stamp_arguments(args)
    matches = bool(stamp) and stamp.get("arguments") == wanted
    started = time.monotonic()

    if args.only_day is None:
        if matches and stamp.get("complete") and not args.force \
                and all((out_dir / n).exists() for n in stamp.get("files", [])):
            print(f"generate_sample: {out_dir} is up to date (stamp matches); nothing to do")
            return 0
        delete_listed(out_dir, stamp)
        w = World(args)
        days = list(range(0, args.days + 1))
        write_json(stamp_path, {"arguments": wanted, "complete": False,
                                "files": candidate_files(w, days)})
        results = generate(w, out_dir, days, args.jobs)
        write_manifests(w, out_dir, results, merge=False, args_dict=wanted)
        write_json(stamp_path, {"arguments": wanted, "complete": True,
                                "files": sorted(r["file"] for r in results)})
    else:
        first_day = args.as_of - dt.timedelta(days=args.days)
        s = (args.only_day - first_day).days
        if not 0 <= s <= args.days + EXTENSION_DAYS:
            print(f"generate_sample: --only-day must lie in [{first_day}, "
                  f"{args.as_of + dt.timedelta(days=EXTENSION_DAYS)}]", file=sys.stderr)
            return 2
        if stamp and not matches:
            if not args.force:
                print(f"generate_sample: {out_dir} holds a sample made with other arguments; "
                      "regenerate it first or pass --force (deletes its files)", file=sys.stderr)
                return 2
            delete_listed(out_dir, stamp)
            stamp = None
        w = World(args)
        results = generate(w, out_dir, [s], args.jobs)
        write_manifests(w, out_dir, results, merge=stamp is not None, args_dict=wanted)
        files = set(stamp.get("files", [])) if stamp else set()
        files.update(r["file"] for r in results)
        write_json(stamp_path, {"arguments": wanted,
                                "complete": bool(stamp and stamp.get("complete")),
                                "files": sorted(files)})
    rows = sum(r["rows"] for r in results)
    bad = sum(len(r["rejects"]) for r in results)
    print(f"generate_sample: wrote {len(results)} files, {rows} rows ({bad} injected bad rows) "
          f"to {out_dir} in {time.monotonic() - started:.1f}s")
    return 0
