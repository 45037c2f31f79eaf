"""dbt-duckdb plugin (profiles.yml `plugins`): registers the SQL function

    closedloop_stage_landing(folder, as_of, cache_dir, contract_json) -> manifest JSON text

which the on-run-start hook (macros/landing/create_landing_relations.sql) calls with its
arguments quoted by `sql_string`. It returns {"error": text} when the folder is missing, empty
or unreadable, so the hook can stop the run before anything changes."""

from __future__ import annotations

import json

from dbt.adapters.duckdb.plugins import BasePlugin

from .stage import LandingFolderError, stage_folder


def stage_landing(folder: str, as_of: str, cache_dir: str, contract_json: str) -> str:
    try:
        manifest = stage_folder(folder, as_of, cache_dir, json.loads(contract_json))
    except LandingFolderError as e:
        return json.dumps({"error": str(e)})
    return json.dumps({"files": manifest})


class Plugin(BasePlugin):
    def _register(self, conn) -> None:
        try:
            conn.create_function("closedloop_stage_landing", stage_landing,
                                 ["VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"], "VARCHAR",
                                 side_effects=True)
        except Exception as e:  # already registered on this connection
            if "already" not in str(e).lower():
                raise

    def configure_connection(self, conn):
        self._register(conn)
