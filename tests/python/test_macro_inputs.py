"""scripts/check_macro_inputs.py: macros take relations as arguments (issue 12, point 2)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_macro_inputs.py"


def run(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), str(project)], capture_output=True, text=True)


def write(project: Path, rel: str, text: str) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_project_macros_read_no_relations():
    proc = run(ROOT)
    assert proc.returncode == 0, proc.stdout
    assert "no macro reads a relation" in proc.stdout


def test_fails_on_ref_source_and_graph(tmp_path):
    write(tmp_path, "macros/a/uses_ref.sql", "{% macro a() %}select * from {{ ref('x') }}{% endmacro %}\n")
    write(tmp_path, "macros/b/uses_source.sql", "{% macro b() %}\n{{ source('landing', 'x') }}\n{% endmacro %}\n")
    write(tmp_path, "macros/c/uses_graph.sql",
          "{% macro c() %}\n{% for n in graph.nodes.values() %}\n{{ n.relation_name }}{% endfor %}{% endmacro %}\n")
    write(tmp_path, "macros/d/graph_lookup.sql",
          "{% macro d() %}{% set n = graph.nodes['model.p.x'] %}\n"
          "{{ adapter.get_relation(n.database, n.schema, n.name) }}{% endmacro %}\n")
    proc = run(tmp_path)
    assert proc.returncode == 1
    assert "macros/a/uses_ref.sql:1: calls ref()" in proc.stdout
    assert "macros/b/uses_source.sql:2: calls source()" in proc.stdout
    assert "macros/c/uses_graph.sql:3: reads `graph` and locates a relation" in proc.stdout
    assert "macros/d/graph_lookup.sql:2: reads `graph` and locates a relation" in proc.stdout


def test_allows_arguments_comments_and_config(tmp_path):
    write(tmp_path, "macros/a/ok.sql",
          "{#- the caller does ref('x') -#}\n{% macro a(relation) %}select * from {{ relation }}{% endmacro %}\n"
          "{% macro b() %}{{ graph.nodes[model.unique_id].config.materialized }}{% endmacro %}\n"
          "{% macro m() %}{% for n in graph.nodes.values() %}{{ n.config.meta.get('export') }}"
          "{{ n.columns.values() | list }}{{ n.name }}{% endfor %}{% endmacro %}\n"
          "{% macro c(preferences) %}{{ preferences }}{% endmacro %}\n")
    proc = run(tmp_path)
    assert proc.returncode == 0, proc.stdout


def test_export_macros_are_not_exempt(tmp_path):
    write(tmp_path, "macros/exports/legacy.sql", "{% macro e() %}{{ ref('x') }}{% endmacro %}\n")
    proc = run(tmp_path)
    assert proc.returncode == 1
    assert "macros/exports/legacy.sql:1: calls ref()" in proc.stdout
