"""Shared by load_landing.py and compare_engines.py: the project's dbt profile, rendered.

Both scripts talk to the engine outside dbt (pyspark / psycopg2) and must open it exactly as
dbt does, so they read the connection settings from profiles.yml instead of repeating them.
profiles.yml uses only `env_var(...)` and the `as_number` filter, which is all this renders.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent


def _env_var(name: str, default: Any = None) -> Any:
    if name in os.environ:
        return os.environ[name]
    if default is None:
        raise KeyError(f"profiles.yml needs the environment variable {name}")
    return default


def target_config(target: str) -> dict[str, Any]:
    """The rendered `outputs.<target>` block of profiles.yml (DBT_PROFILES_DIR or the project)."""
    import jinja2
    import yaml

    profiles_dir = Path(os.environ.get("DBT_PROFILES_DIR", PROJECT_DIR))
    text = (profiles_dir / "profiles.yml").read_text(encoding="utf-8")
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.globals["env_var"] = _env_var
    env.filters["as_number"] = lambda v: v
    env.filters["as_text"] = lambda v: v

    def render(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: render(v) for k, v in node.items()}
        if isinstance(node, list):
            return [render(v) for v in node]
        if isinstance(node, str) and "{{" in node:
            out = env.from_string(node).render()
            try:
                return yaml.safe_load(out) if out.strip() else out
            except yaml.YAMLError:
                return out
        return node

    profile = yaml.safe_load(text)["closedloop"]
    outputs = profile["outputs"]
    if target not in outputs:
        raise SystemExit(f"profiles.yml has no target '{target}' (have: {', '.join(outputs)})")
    return render(outputs[target])


def spark_session(config: dict[str, Any]):
    """A SparkSession configured like dbt-spark's `method: session` (Hive catalog, same
    server_side_parameters, ANSI mode off as dbt-spark forces it)."""
    os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in (config.get("server_side_parameters") or {}).items():
        builder = builder.config(str(key), str(value))
    builder = builder.config("spark.sql.ansi.enabled", "false")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def postgres_connection(config: dict[str, Any]):
    import psycopg2

    conn = psycopg2.connect(
        host=config.get("host"),
        port=int(config.get("port", 5432)),
        user=config.get("user"),
        password=config.get("password") or None,
        dbname=config.get("dbname") or config.get("database"),
        connect_timeout=int(config.get("connect_timeout", 10)),
    )
    with conn.cursor() as cur:
        cur.execute("set timezone to 'UTC'")
    conn.commit()
    return conn
