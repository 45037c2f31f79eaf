"""The landing reader: Python's csv module reads every landing file once (reader.py), and the
folder is staged into canonical files and a manifest (stage.py) that the warehouse reads.
On DuckDB the dbt-duckdb plugin (plugin.py) makes it a SQL function the on-run-start hook calls,
so a plain `dbt build` stages the folder itself."""
