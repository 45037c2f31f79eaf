"""The stamp file DIR/.generator.json: the arguments (and code hash) a sample was made with and
the files it wrote, so that a matching second call does nothing and other arguments delete
exactly the files listed before regenerating."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .feeds import DAILY_KINDS, INITIAL_KINDS, WEEKLY_KINDS
from .params import GENERATOR_VERSION, WEEKLY_EVERY

if TYPE_CHECKING:
    from .world import World

STAMP_FILE = ".generator.json"
PACKAGE = Path(__file__).resolve().parent


def code_sha256() -> str:
    """Hash of the package's code and data files, so that a sample made by other generator code
    never counts as up to date. (The key keeps its old name, script_sha256, from the time the
    generator was one script.)"""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".csv") and "__pycache__" not in path.parts:
            data = path.read_bytes()
            h.update(f"{path.relative_to(PACKAGE).as_posix()}\0{len(data)}\0".encode())
            h.update(data)
    return h.hexdigest()


def candidate_files(w: World, days: list[int]) -> list[str]:
    names = []
    for s in days:
        kinds = INITIAL_KINDS if s == 0 else DAILY_KINDS + (
            WEEKLY_KINDS if s % WEEKLY_EVERY == 0 else [])
        names.extend(w.file_name(kind, s) for kind in kinds)
    return sorted(set(names))


def stamp_arguments(args) -> dict:
    return {"as_of": args.as_of.isoformat(), "customers": args.customers, "days": args.days,
            "events": args.events, "transactions": args.transactions, "seed": args.seed,
            "bad_rows": args.bad_rows, "generator_version": GENERATOR_VERSION,
            "script_sha256": code_sha256()}


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: dict):
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def delete_listed(out_dir: Path, stamp: dict | None):
    for name in (stamp or {}).get("files", []):
        if "/" not in name and "\\" not in name and name.lower().endswith(".csv"):
            try:
                (out_dir / name).unlink()
            except FileNotFoundError:
                pass
