"""Stages the landing folder: every file read once by reader.py into a canonical CSV with one
fixed set of columns per entity, and a manifest with one row per file (loaded or quarantined).

The warehouse reads only the canonical files (comma, LF, every field quoted, the lineage in
columns), so no file name, header name or value of a landing file ever becomes SQL text; the
canonical file is named by a hash. A canonical file is a pure function of (file name, content,
reader version): it is reused while the landing file is unchanged, and written anew when a
file is replaced (same name, new content). Files stamped after `as_of` are not read.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from .reader import read_file

READER_VERSION = "1"
ENTITIES = ("campaign", "dispatch", "message", "event", "customer", "transaction", "transactionitem",
            "organization")
NAME_RE = re.compile(
    r"^(?:(?P<source>.+)_)?(?P<entity>transactionitem|transaction|campaign|dispatch|message|event"
    r"|customer|organization)_(?P<ts>[0-9]{14})\.csv$", re.IGNORECASE)

LINEAGE = ["_source_file", "_source_system", "_file_timestamp", "_file_sha256", "_row_number",
           "_line_number", "_line_count", "_load_order"]
TRAILER = ["_raw", "_custom_attributes", "_extra_fields", "_structural_reason", "_reject_column"]
MANIFEST = ["file_name", "entity", "source_system", "file_timestamp", "file_sha256", "file_status",
            "quarantine_reason", "quarantine_detail", "physical_lines", "blank_lines", "rows_read",
            "canonical_path"]


class LandingFolderError(Exception):
    """The landing folder is missing, not a folder, unreadable or holds no CSV file."""


def canonical_columns(contract_columns: list[str]) -> list[str]:
    return LINEAGE + list(contract_columns) + TRAILER


def parse_name(name: str) -> dict | None:
    m = NAME_RE.match(name)
    if not m:
        return None
    return {"source_system": (m.group("source") or "").lower() or None,
            "entity": m.group("entity").lower(), "timestamp": m.group("ts")}


def _valid_stamp(ts: str) -> bool:
    try:
        dt.datetime.strptime(ts, "%Y%m%d%H%M%S")
        return True
    except ValueError:
        return False


def list_files(folder: str) -> list[str]:
    p = Path(folder)
    if not folder or not p.exists():
        raise LandingFolderError(f"landing folder {folder!r} does not exist")
    if not p.is_dir():
        raise LandingFolderError(f"landing folder {folder!r} is not a folder")
    try:
        names = sorted(e.name for e in os.scandir(p) if e.is_file() and e.name.lower().endswith(".csv"))
    except OSError as e:
        raise LandingFolderError(f"landing folder {folder!r} cannot be read: {e}") from e
    if not names:
        raise LandingFolderError(f"landing folder {folder!r} holds no .csv file")
    return names


# Files are parsed in worker processes when there is enough to parse: each file is read by one
# worker with the same code, so its rows, row numbers and load order do not depend on the
# worker count. CLOSED_LOOP_LANDING_WORKERS sets the count (1: parse in this process).
PARALLEL_MIN_BYTES = 16 * 1024 * 1024


def landing_workers() -> int:
    text = os.environ.get("CLOSED_LOOP_LANDING_WORKERS", "").strip()
    return max(1, int(text)) if text.isdigit() else (os.cpu_count() or 1)


def stage_folder(folder: str, as_of: str, cache_dir: str, contract: dict, workers: int | None = None,
                 parallel_min_bytes: int = PARALLEL_MIN_BYTES) -> list[dict]:
    """Returns the manifest rows (in delivery order) and writes the canonical files."""
    last_ts = as_of.replace("-", "") + "235959"
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    manifest, keep, jobs = [], set(), []
    parsed = []
    for name in list_files(folder):
        info = parse_name(name)
        if info is None or not _valid_stamp(info["timestamp"]):
            manifest.append(_quarantined(name, None, None, None, "bad_file_name",
                                         "the name does not follow [source_]entity_yyyymmddhhmiss.csv"))
            continue
        if info["timestamp"] <= last_ts:
            parsed.append((info["entity"], info["timestamp"], name, info))
    # Delivery order: stamp, then name for files of one entity stamped in the same second.
    parsed.sort()
    previous, index = None, 0
    for entity, ts, name, info in parsed:
        index = index + 1 if (entity, ts) == previous else 0
        previous = (entity, ts)
        path = Path(folder) / name
        try:
            data = path.read_bytes()
        except OSError as e:
            manifest.append(_quarantined(name, entity, info["source_system"], ts, "unreadable", str(e)))
            continue
        sha = hashlib.sha256(data).hexdigest()
        # The same-second index is in the key: it is part of each row's _load_order.
        key = hashlib.sha256(f"{READER_VERSION}\0{name}\0{sha}\0{index}".encode()).hexdigest()
        target = cache / entity / f"{key}.csv"
        meta = target.with_suffix(".meta")
        keep.update({target, meta})
        if meta.exists():
            # Reused: a quarantined file has no canonical file; a loaded one only while its
            # canonical file is there (else it is read again below).
            row = _typed(dict(zip(MANIFEST, meta.read_text(encoding="utf-8").split("\n")[0].split("\t"))))
            if row["file_status"] == "quarantined" or target.exists():
                row["canonical_path"] = str(target) if row["file_status"] == "loaded" else None
                manifest.append(row)
                continue
        # To be parsed: its manifest row is filled in below, in this place.
        jobs.append({"slot": len(manifest), "path": str(path), "size": len(data), "sha": sha, "index": index,
                     "target": str(target), "spec": contract[entity],
                     "base": {"file_name": name, "entity": entity, "source_system": info["source_system"],
                              "file_timestamp": ts, "file_sha256": sha}})
        manifest.append(None)
    for job, row in zip(jobs, _parse_all(jobs, workers or landing_workers(), parallel_min_bytes)):
        manifest[job["slot"]] = row
    manifest_path = cache / "manifest.csv"
    keep.add(manifest_path)
    _write_manifest(manifest_path, manifest)
    _prune(cache, keep, Path(folder), {m["file_name"] for m in manifest})
    return manifest


def _parse_all(jobs: list[dict], workers: int, parallel_min_bytes: int) -> list[dict]:
    """The manifest rows of `jobs`, in their order: parsed by `workers` worker processes when
    there is more than one file and at least `parallel_min_bytes` to parse, else here."""
    if workers < 2 or len(jobs) < 2 or sum(j["size"] for j in jobs) < parallel_min_bytes:
        return [_parse_one(j) for j in jobs]
    # Largest files first, each to the least loaded worker, so that the workers end together.
    shares: list[list[int]] = [[] for _ in range(min(workers, len(jobs)))]
    loads = [0] * len(shares)
    for i in sorted(range(len(jobs)), key=lambda i: -jobs[i]["size"]):
        w = loads.index(min(loads))
        shares[w].append(i)
        loads[w] += jobs[i]["size"]
    # Plain child interpreters (`python -m closedloop_landing.stage`), jobs in and rows out as
    # JSON: no fork of the caller (dbt and DuckDB run threads a fork would copy mid-lock) and no
    # re-import of the caller's main module (what multiprocessing's spawn does).
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(Path(__file__).resolve().parent.parent)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    rows: list = [None] * len(jobs)
    try:
        procs = [subprocess.Popen([sys.executable, "-m", "closedloop_landing.stage"], env=env, text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE) for _ in shares]
        for proc, share in zip(procs, shares):
            proc.stdin.write(json.dumps([jobs[i] for i in share]))
            proc.stdin.close()
        for proc, share in zip(procs, shares):
            out = proc.stdout.read()
            if proc.wait() == 0:
                for i, row in zip(share, json.loads(out)):
                    rows[i] = row
    except (OSError, ValueError):
        pass  # could not start or talk to a worker (or its output was cut): parsed below
    missing = [i for i, row in enumerate(rows) if row is None]
    if missing:
        # A worker failed (memory, a sandbox without processes): its files are parsed here.
        print(f"landing reader: a worker process failed; parsing {len(missing)} files in this process",
              file=sys.stderr)
        for i in missing:
            rows[i] = _parse_one(jobs[i])
    return rows


def _parse_one(job: dict) -> dict:
    """Parses one landing file into its canonical file and .meta; returns its manifest row."""
    base, spec, target = job["base"], job["spec"], Path(job["target"])
    name, entity, source, ts = base["file_name"], base["entity"], base["source_system"], base["file_timestamp"]
    try:
        data = Path(job["path"]).read_bytes()
    except OSError as e:
        return _quarantined(name, entity, source, ts, "unreadable", str(e))
    if hashlib.sha256(data).hexdigest() != job["sha"]:
        # Replaced between hashing and parsing: its canonical file would be named for the old
        # content. Not cached, so the next run reads it again.
        return _quarantined(name, entity, source, ts, "unreadable", "the file changed while it was being read")
    result = read_file(data, spec["columns"], spec["required"][0])
    if result.status != "loaded":
        row = _quarantined(name, entity, source, ts, result.reason, result.detail, job["sha"])
    else:
        _write_canonical(target, result, spec["columns"], base, job["index"])
        row = dict(base, file_status="loaded", quarantine_reason=None, quarantine_detail=None,
                   physical_lines=result.physical_lines, blank_lines=result.blank_lines,
                   rows_read=len(result.rows), canonical_path=str(target))
    meta = target.with_suffix(".meta")
    meta.parent.mkdir(parents=True, exist_ok=True)
    meta.write_text("\t".join("" if row[k] is None else _one_line(row[k]) for k in MANIFEST) + "\n",
                    encoding="utf-8")
    return row


def _write_manifest(path: Path, manifest: list[dict]) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(MANIFEST)
        for row in manifest:
            w.writerow(["" if row[k] is None else row[k] for k in MANIFEST])
    os.replace(tmp, path)


def _one_line(value) -> str:
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _typed(row: dict) -> dict:
    out = {k: (row.get(k) or None) for k in MANIFEST}
    for k in ("physical_lines", "blank_lines", "rows_read"):
        out[k] = int(out[k]) if out[k] is not None else None
    return out


def _quarantined(name, entity, source, ts, reason, detail, sha=None) -> dict:
    return {"file_name": name, "entity": entity, "source_system": source, "file_timestamp": ts,
            "file_sha256": sha, "file_status": "quarantined", "quarantine_reason": reason,
            "quarantine_detail": (detail or "")[:500], "physical_lines": None, "blank_lines": None,
            "rows_read": 0, "canonical_path": None}


def _write_canonical(target: Path, result, contract_columns, base: dict, same_second_index: int) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    epoch = int(dt.datetime.strptime(base["file_timestamp"], "%Y%m%d%H%M%S")
                .replace(tzinfo=dt.timezone.utc).timestamp())
    # One bigint that orders rows in delivery order: file second, same-second file index, row.
    order_base = epoch * 1_000_000_000 + same_second_index * 100_000_000
    tmp = target.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(canonical_columns(contract_columns))
        lineage = [base["file_name"], base["source_system"] or "", base["file_timestamp"], base["file_sha256"]]
        for r in result.rows:
            w.writerow(lineage + [r.row_number, r.line_number, r.line_count, order_base + r.row_number]
                       + [("" if r.values.get(c) is None else r.values[c]) for c in contract_columns]
                       + [r.raw, r.custom_attributes or "", r.extra_fields, r.reject_reason or "",
                          r.reject_column or ""])
    os.replace(tmp, target)


def _prune(cache: Path, keep: set, folder: Path, in_scope: set) -> None:
    """Canonical files of landing files that left the folder are dropped (their rows stay in
    the warehouse). Those of files still there but out of this run's scope (a backfill of an
    earlier day) are kept for the next run."""
    for sub in cache.iterdir():
        if not (sub.is_dir() and sub.name in ENTITIES):
            continue
        for meta in sub.glob("*.meta"):
            if meta in keep:
                continue
            name = meta.read_text(encoding="utf-8").split("\t", 1)[0]
            if name in in_scope or not (folder / name).is_file():  # superseded, or gone
                meta.unlink(missing_ok=True)
                meta.with_suffix(".csv").unlink(missing_ok=True)
        for f in sub.glob("*.tmp"):
            f.unlink(missing_ok=True)


if __name__ == "__main__":
    # A worker process of _parse_all: a JSON list of jobs on stdin, their manifest rows on stdout.
    json.dump([_parse_one(job) for job in json.load(sys.stdin)], sys.stdout)
