"""Writes the static campaign report from the warehouse and prints the path of its index.

Usage: python scripts/report [--as-of YYYY-MM-DD] [--db FILE] [--out DIR]

Defaults: CLOSED_LOOP_DB (target/closedloop.duckdb) and $CLOSED_LOOP_OUTPUT/report/
(output/report/). The warehouse is opened read-only. Every page is self-contained (CSS,
sortable-table JS and plotly.js inlined): open index.html from disk, no network needed.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from report.build import build  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", default=os.environ.get("AS_OF", ""), help="run date shown in the report")
    parser.add_argument("--db", default=os.environ.get("CLOSED_LOOP_DB", str(ROOT / "target" / "closedloop.duckdb")))
    parser.add_argument("--out", default=str(Path(os.environ.get("CLOSED_LOOP_OUTPUT", str(ROOT / "output"))) / "report"))
    args = parser.parse_args(argv)
    db = Path(args.db)
    if not db.exists():
        print(f"report: no warehouse at {db} (run make run first)", file=sys.stderr)
        return 2
    stats = build(db, Path(args.out), args.as_of or "(not given)")
    print(f"report: {stats['pages']} pages ({stats['campaigns']} campaigns), "
          f"{stats['bytes'] / 1e6:.1f} MB in {stats['seconds']:.1f} s")
    print(f"report: {Path(args.out).resolve() / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
