"""Every model shows its inputs: macros must not read relations themselves.

Fails (exit 1) when a macro file under macros/ contains `ref(` or `source(` (a macro takes
relations as arguments and the model calls ref() / source() at the call site), or reads
`graph` to reach a relation: a macro file that reads `graph` may collect the nodes'
configuration (config, meta, columns, names), but must not touch what locates a table - a
node's relation_name, database, schema, alias or identifier, `adapter.get_relation`,
`load_relation`, `api.Relation`. Jinja comments ({# ... #}) are ignored.

Usage: python scripts/check_macro_inputs.py [project_dir]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

COMMENT = re.compile(r"\{#.*?#\}", re.S)
RELATION_CALL = re.compile(r"(?<![\w])(?:builtins\.)?(ref|source)\s*\(")
GRAPH_USE = re.compile(r"(?<![\w.])graph\s*(\.|\[)")
RELATION_LOOKUP = re.compile(
    r"\b(relation_name|alias|identifier)\b|\.(database|schema)\b|\[\s*['\"](database|schema)['\"]\s*\]"
    r"|adapter\.get_relation|\bload_relation\b|\bapi\.Relation\b")


def problems(project: Path) -> list[str]:
    found = []
    for path in sorted((project / "macros").rglob("*.sql")):
        rel = path.relative_to(project).as_posix()
        text = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text(encoding="utf-8"))
        reads_graph = bool(GRAPH_USE.search(text))
        for number, line in enumerate(text.splitlines(), start=1):
            for match in RELATION_CALL.finditer(line):
                found.append(f"{rel}:{number}: calls {match.group(1)}() - take the relation as an argument instead")
            if reads_graph and RELATION_LOOKUP.search(line):
                found.append(f"{rel}:{number}: reads `graph` and locates a relation - only configuration may come"
                             f" from the graph")
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
