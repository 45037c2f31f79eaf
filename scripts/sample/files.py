"""Writing one landing file: header and good lines in large blocks, the planned bad rows
spliced in at seeded positions, and the row number and reason of each (the expected
rejects)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .badrows import bad_row
from .feeds import FILE_KINDS

if TYPE_CHECKING:
    from .world import World


def write_feed(w: World, out_dir: Path, kind: str, s: int, lines, header: list[str] | None = None,
               n_good: int | None = None, context: dict | None = None) -> dict | None:
    """Write one landing file with its planned bad rows; returns its summary record
    (None when there is nothing to write)."""
    prefix, entity, delim, newline, columns = FILE_KINDS[kind]
    header = header or columns
    if n_good is None:
        n_good = len(lines)
    bads = w.bad_plan.get((kind, s), [])
    if n_good == 0 and not bads:
        return None
    name = w.file_name(kind, s)
    prng = w.rng("bad-position", name)
    inserts: dict[int, list[tuple[str | None, int, str]]] = {}
    keep: set[int] = set()
    for reason, _, serial in bads:
        if reason == "duplicate_row":
            if n_good == 0:
                continue
            orig = prng.randrange(n_good)
            after = prng.randrange(orig, n_good)
            keep.add(orig)
            inserts.setdefault(after, []).append((None, orig, reason))
        else:
            after = prng.randrange(n_good) if n_good else -1
            line = bad_row(w, kind, s, reason, serial, header, context or {})
            inserts.setdefault(after, []).append((line, -1, reason))
    kept: dict[int, str] = {}
    rejects: list[tuple[int, str]] = []
    row = 0
    with open(out_dir / name, "w", encoding="utf-8", newline="") as f:
        buf = [delim.join(header)]

        def emit_bads(after: int):
            nonlocal row
            for bline, orig, reason in inserts[after]:
                buf.append(bline if bline is not None else kept[orig])
                row += 1
                rejects.append((row, reason))

        if -1 in inserts:
            emit_bads(-1)
        if not inserts:  # fast path: no bad rows in this file
            written = 0  # lines, header included
            for line in lines:
                buf.append(line)
                if len(buf) >= 20_000:
                    f.write(newline.join(buf) + newline)
                    written += len(buf)
                    buf.clear()
            row = written + len(buf) - 1
        else:
            for g, line in enumerate(lines):
                buf.append(line)
                row += 1
                if g in keep:
                    kept[g] = line
                if g in inserts:
                    emit_bads(g)
                if len(buf) >= 20_000:
                    f.write(newline.join(buf) + newline)
                    buf.clear()
        if buf:
            f.write(newline.join(buf) + newline)
    return {"file": name, "entity": entity, "source_system": prefix.rstrip("_") or None,
            "rows": row, "rejects": rejects}
