"""expected_rejects.csv (one line per injected bad row) and generator_summary.json (rows per
file and entity), written beside the landing folder; merged with the previous ones when
--only-day adds files."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from .stamp import read_json, write_json

if TYPE_CHECKING:
    from .world import World

REJECTS_FILE = "expected_rejects.csv"
SUMMARY_FILE = "generator_summary.json"


def write_manifests(w: World, out_dir: Path, results: list[dict], merge: bool, args_dict: dict):
    """expected_rejects.csv and generator_summary.json next to the landing folder."""
    meta_dir = out_dir.parent
    rejects_path, summary_path = meta_dir / REJECTS_FILE, meta_dir / SUMMARY_FILE
    written = {r["file"] for r in results}
    reject_rows = []
    files: dict[str, dict] = {}
    if merge:
        old = read_json(summary_path) or {}
        files = {k: v for k, v in old.get("files", {}).items() if k not in written}
        if rejects_path.exists():
            with open(rejects_path, encoding="utf-8", newline="") as f:
                lines = f.read().splitlines()[1:]
            for ln in lines:
                entity, source_file, row_number, reason = ln.split(",")
                if source_file not in written and source_file in files:
                    reject_rows.append((source_file, int(row_number), entity, reason))
    for r in results:
        files[r["file"]] = {"entity": r["entity"], "source_system": r["source_system"],
                            "rows": r["rows"], "rejects": len(r["rejects"])}
        for row_number, reason in r["rejects"]:
            reject_rows.append((r["file"], row_number, r["entity"], reason))
    reject_rows.sort()
    with open(rejects_path, "w", encoding="utf-8", newline="") as f:
        f.write("entity,source_file,row_number,reason\n")
        for source_file, row_number, entity, reason in reject_rows:
            f.write(f"{entity},{source_file},{row_number},{reason}\n")
    entities: dict[str, dict] = {}
    for info in files.values():
        e = entities.setdefault(info["entity"], {"files": 0, "rows": 0, "rejects": 0})
        e["files"] += 1
        e["rows"] += info["rows"]
        e["rejects"] += info["rejects"]
    by_reason: dict[str, int] = {}
    for *_, reason in reject_rows:
        by_reason[reason] = by_reason.get(reason, 0) + 1
    write_json(summary_path, {
        "arguments": args_dict,
        "window": {"first_day": w.first_day.isoformat(), "as_of": w.as_of.isoformat(),
                   "data_days": [w.first_day.isoformat(),
                                 (w.as_of - dt.timedelta(days=1)).isoformat()]},
        "plan": {"campaigns": len(w.campaigns) + 1, "dispatches_per_day": w.dispatches_per_day,
                 "initial_customers": w.n_initial, "new_customers_per_day": w.new_per_day},
        "entities": dict(sorted(entities.items())),
        "rejects_by_reason": dict(sorted(by_reason.items())),
        "files": dict(sorted(files.items())),
    })
