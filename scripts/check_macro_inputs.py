"""Every model shows its inputs: macros must not read relations themselves.

Fails (exit 1) when a macro file under macros/ contains `ref(` or `source(` (a macro takes
relations as arguments and the model calls ref() / source() at the call site), or reads
`graph` for anything other than a node's configuration (`graph...config`). Jinja comments
({# ... #}) are ignored.

Usage: python scripts/check_macro_inputs.py [project_dir]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

COMMENT = re.compile(r"\{#.*?#\}", re.S)
RELATION_CALL = re.compile(r"(?<![\w])(?:builtins\.)?(ref|source)\s*\(")
GRAPH_USE = re.compile(r"(?<![\w.])graph\s*(\.|\[)")


def problems(project: Path) -> list[str]:
    found = []
    for path in sorted((project / "macros").rglob("*.sql")):
        rel = path.relative_to(project).as_posix()
        text = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text(encoding="utf-8"))
        for number, line in enumerate(text.splitlines(), start=1):
            for match in RELATION_CALL.finditer(line):
                found.append(f"{rel}:{number}: calls {match.group(1)}() - take the relation as an argument instead")
            if GRAPH_USE.search(line) and "config" not in line:
                found.append(f"{rel}:{number}: reads `graph` for something other than configuration")
    return found


def main(argv: list[str]) -> int:
    project = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    found = problems(project)
    if found:
        print("Macros must not read relations (ref/source) or the graph beyond configuration:")
        print("\n".join(f"  {p}" for p in found))
        return 1
    print("check_macro_inputs: no macro reads a relation.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
