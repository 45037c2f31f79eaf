# closedloop — two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed

# Settings (README: "Settings"). Environment variables win over these defaults.
export CLOSED_LOOP_LANDING ?= $(CURDIR)/target/sample/landing
export CLOSED_LOOP_DB      ?= $(CURDIR)/target/closedloop.duckdb
export CLOSED_LOOP_OUTPUT  ?= $(CURDIR)/output
export AS_OF               ?= $(shell date -u +%F)
export DBT_PROFILES_DIR    := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

# The sample is generated deterministically (seed + AS_OF) unless CLOSED_LOOP_LANDING points elsewhere.
SAMPLE_ARGS ?= --customers 2000 --days 60 --seed 7

DBT_VARS = --vars '{"as_of": "$(AS_OF)"}'

.PHONY: help setup run test sample lint conventions unit pytest bench daily backfill freshness clean
help:
	@echo "make run    - set up .venv, generate the sample, build the warehouse, write export files"
	@echo "make test   - set up .venv and run every check (dbt build + tests, lint, conventions, pytest)"
	@echo "make bench  - benchmark (SCALE=small|default, BENCH_ARGS=--reuse-data), figures in bench_results/"

setup: $(STAMP)
$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

sample: setup
	@if [ "$(CLOSED_LOOP_LANDING)" = "$(CURDIR)/target/sample/landing" ]; then \
	  $(BIN)/python scripts/generate_sample.py --out $(CLOSED_LOOP_LANDING) --as-of $(AS_OF) $(SAMPLE_ARGS); \
	fi

run: sample
	$(BIN)/dbt build $(DBT_VARS)
	$(BIN)/python scripts/write_exports.py --as-of $(AS_OF)

lint: setup
	$(BIN)/sqlfluff lint models macros tests/dbt analyses

# Conventions (dbt-bouncer.yml) over manifest.json and catalog.json; the catalog needs a built
# warehouse (make test builds first). Artifacts go to their own folder: <target>/conventions/target.
conventions: setup
	@art="$${DBT_TARGET_PATH:-$(CURDIR)/target}/conventions"; set -e; \
	$(BIN)/dbt parse --quiet --target-path "$$art/target"; \
	$(BIN)/dbt docs generate --no-compile --quiet --target-path "$$art/target"; \
	COLUMNS=200 DBT_PROJECT_DIR="$$art" $(BIN)/dbt-bouncer run --config-file dbt-bouncer.yml --show-all-failures

pytest: setup
	$(BIN)/pytest -q tests/python

test: export CLOSED_LOOP_DB := $(CURDIR)/target/test.duckdb
test: export CLOSED_LOOP_LANDING := $(CURDIR)/target/sample/landing
test: export AS_OF := 2026-11-01
test: export CLOSED_LOOP_OUTPUT := $(CURDIR)/target/test_output
test: sample
	rm -f $(CLOSED_LOOP_DB)
	$(BIN)/dbt build $(DBT_VARS)
	$(MAKE) --no-print-directory lint conventions pytest

# Scheduler entry points (docs/operations.md). Exit code 0 = built, tested and files written;
# 2 = a step failed (make's code for any failing step; dbt's own 1 = a node failed, 2 = dbt
# could not run, is in the log) or a date is not YYYY-MM-DD.
# RUN_DATES prints the dates FROM..TO (arguments 1 and 2) and fails on anything but two valid
# YYYY-MM-DD dates in order: a typo must stop the run, not shift the files in scope (file
# stamps are compared with as_of as text), and the loop must not depend on GNU date.
RUN_DATES = $(BIN)/python -c 'import datetime as dt, sys; a, b = (dt.date.fromisoformat(x) for x in sys.argv[1:3]); sys.exit(1) if [str(a), str(b)] != sys.argv[1:3] or a > b else print(*(a + dt.timedelta(days=n) for n in range((b - a).days + 1)))' 2>/dev/null
CHECK_AS_OF = $(RUN_DATES) "$(AS_OF)" "$(AS_OF)" >/dev/null || { echo "AS_OF must be a date YYYY-MM-DD, got '$(AS_OF)'"; exit 2; }

freshness: setup
	@$(CHECK_AS_OF)
	$(BIN)/dbt source freshness $(DBT_VARS)

daily: setup
	@$(CHECK_AS_OF)
	$(BIN)/dbt build --selector daily $(DBT_VARS)
	$(BIN)/python scripts/write_exports.py --as-of $(AS_OF)

# Backfill a range of run dates in order: make backfill FROM=2026-10-01 TO=2026-10-07.
# Stops at the first failing date.
backfill: setup
	@dates=$$($(RUN_DATES) "$(FROM)" "$(TO)") \
	  || { echo "usage: make backfill FROM=YYYY-MM-DD TO=YYYY-MM-DD (FROM <= TO)"; exit 2; }; \
	for d in $$dates; do \
	  echo "== as_of $$d"; \
	  $(MAKE) --no-print-directory daily AS_OF=$$d || exit $$?; \
	done

# Benchmark (README "Benchmark"): SCALE=small (CI) or SCALE=default (1 M customers, 10 M events).
SCALE ?= small
bench: setup
	$(BIN)/python scripts/bench.py --scale $(SCALE) $(BENCH_ARGS)

clean:
	rm -rf target logs output

# Portability check (docs/engines.md): builds the whole project on Spark and PostgreSQL from the
# shipped sample and compares every table with the DuckDB build. ENGINES=spark (or postgres)
# runs one. Each adapter has its own environment (.venv-spark, .venv-postgres).
ENGINES ?= spark postgres
.PHONY: test-engines
test-engines: export CLOSED_LOOP_LANDING := $(CURDIR)/target/sample/landing
test-engines: export AS_OF := 2026-11-01
test-engines: sample
	PYTHON="$(PYTHON)" ENGINES_DIR="$(CURDIR)/target/engines" bash scripts/test_engines.sh $(ENGINES)
