# closedloop — two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

# Settings (README: "Settings"). Environment variables win over these defaults.
export CLOSED_LOOP_LANDING ?= $(CURDIR)/target/sample/landing
export CLOSED_LOOP_DB      ?= $(CURDIR)/target/closedloop.duckdb
export CLOSED_LOOP_OUTPUT  ?= $(CURDIR)/output
# AS_OF: the run date. Unset or empty (`make daily AS_OF=`) means today in UTC; surrounding
# blanks are dropped. `check-as-of` (a prerequisite of every entry point) refuses anything
# that is not a real calendar date YYYY-MM-DD before anything runs.
AS_OF_ORIGIN := $(origin AS_OF)
override AS_OF := $(strip $(AS_OF))
ifeq ($(AS_OF),)
override AS_OF := $(shell date -u +%Y-%m-%d)
endif
export AS_OF
# CLOSED_LOOP_FAIL_ON_QUARANTINE=1: a quarantined landing file stops `make run` / `make daily`
# after the build, before any export file is written (default: write them, exit non-zero at the end).
export CLOSED_LOOP_FAIL_ON_QUARANTINE ?= 0
export DBT_PROFILES_DIR    := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

# The sample is generated deterministically (seed + AS_OF) unless CLOSED_LOOP_LANDING points elsewhere.
SAMPLE_ARGS ?= --customers 2000 --days 60 --seed 7

DBT_VARS = --vars '{"as_of": "$(AS_OF)"}'

.PHONY: help check-as-of setup setup-test run test sample lint conventions pytest bench daily weekly-tests backfill freshness clean report segment docs
help: ## this list
	@awk -F ':.*## ' '/^[a-z][a-z-]*:.*## / { printf "  make %-13s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

setup: $(STAMP) ## create .venv with the pinned requirements (once; again when requirements.txt changes)
$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

# Test-only packages (requirements-test.txt): oracles the tests compare with, never imported by
# the project. channelattribution ships as source only and needs a C++ compiler; where it
# cannot be built, the rest is installed and its two tests are skipped with the reason printed.
setup-test: $(TEST_STAMP) ## add the test-only packages of requirements-test.txt to .venv (make test, make pytest)
$(TEST_STAMP): $(STAMP) requirements-test.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt || { \
	  echo "WARNING: requirements-test.txt did not install whole (channelattribution needs g++);" \
	       "installing the rest, its tests will be skipped"; \
	  grep -v '^channelattribution' requirements-test.txt > $(VENV)/requirements-test-rest.txt; \
	  $(BIN)/pip install --quiet --disable-pip-version-check -r $(VENV)/requirements-test-rest.txt; }
	touch $(TEST_STAMP)

sample: check-as-of setup ## generate the sample landing folder (only when CLOSED_LOOP_LANDING is the default)
	@if [ "$(CLOSED_LOOP_LANDING)" = "$(CURDIR)/target/sample/landing" ]; then \
	  $(BIN)/python scripts/generate_sample.py --out $(CLOSED_LOOP_LANDING) --as-of $(AS_OF) $(SAMPLE_ARGS); \
	fi

run: check-as-of sample ## set up .venv, generate the sample, build the warehouse, write export files and the report, print the summary
	@$(call RUN_DAY,,$(REPORT_STEP))

# The static campaign report (docs/marts.md, "The report"): $(CLOSED_LOOP_OUTPUT)/report/index.html,
# self-contained HTML from the marts of the warehouse $(CLOSED_LOOP_DB) (read-only).
report: check-as-of setup ## write the static HTML report from the built warehouse and print its path
	@$(BIN)/python scripts/report --as-of $(AS_OF)

# A segment in one command (docs/marts.md, "Segments"): make segment NAME=customers_mailed_not_converted
# VARS='{segment_channel: email}' writes $(CLOSED_LOOP_OUTPUT)/segments/<NAME>_<AS_OF>.csv.
segment: check-as-of setup ## compile and run analyses/NAME.sql (VARS='{...}'), write its customers as CSV
	@test -n "$(NAME)" || { echo "usage: make segment NAME=<analysis in analyses/> [VARS='{...}']"; exit 2; }
	@$(BIN)/python scripts/segment.py "$(NAME)" --as-of $(AS_OF) --vars '$(VARS)'

# dbt's documentation site (models, columns, lineage, semantic models and metrics) over the
# built warehouse: generated into $(DBT_TARGET_PATH or target) and served on localhost only.
DOCS_PORT ?= 8080
docs: check-as-of setup ## build dbt's docs site from the warehouse and serve it on http://127.0.0.1:$(DOCS_PORT) (Ctrl-C stops)
	$(BIN)/dbt docs generate $(DBT_VARS)
	$(BIN)/dbt docs serve --host 127.0.0.1 --port $(DOCS_PORT) --no-browser

# --processes 0: one process per core.
lint: setup ## sqlfluff over models, macros, tests/dbt, analyses
	$(BIN)/sqlfluff lint --processes 0 models macros tests/dbt analyses

# Conventions (dbt-bouncer.yml) over manifest.json and catalog.json; the catalog needs a built
# warehouse (make test builds first). Artifacts go to their own folder: <target>/conventions/target.
# check_macro_inputs.py: no macro under macros/ calls ref()/source()
# or reads `graph` beyond configuration; the models pass relations in (docs/architecture.md).
conventions: setup ## dbt-bouncer project conventions (needs a built warehouse), macros read no relations
	$(BIN)/python scripts/check_macro_inputs.py
	@art="$${DBT_TARGET_PATH:-$(CURDIR)/target}/conventions"; set -e; \
	$(BIN)/dbt parse --quiet --target-path "$$art/target"; \
	$(BIN)/dbt docs generate --no-compile --quiet --target-path "$$art/target"; \
	COLUMNS=200 DBT_PROJECT_DIR="$$art" $(BIN)/dbt-bouncer run --config-file dbt-bouncer.yml --show-all-failures

# pytest-xdist: a worker per core; a test module stays on one worker (--dist loadfile), so its
# module fixtures (a simulation, a built sample) are built once. The tests are isolated
# (tests/python/conftest.py), so they can run side by side.
pytest: setup-test ## the Python end-to-end tests (tests/python), a worker per core
	$(BIN)/pytest -q -n auto --dist loadfile tests/python

test: export CLOSED_LOOP_DB := $(CURDIR)/target/test.duckdb
test: export CLOSED_LOOP_LANDING := $(CURDIR)/target/sample/landing
test: export AS_OF := 2026-11-01
test: export CLOSED_LOOP_OUTPUT := $(CURDIR)/target/test_output
test: check-as-of sample ## every check: dbt build + data/unit tests, lint, conventions, pytest (AS_OF pinned)
	rm -f $(CLOSED_LOOP_DB)
	$(BIN)/dbt build $(DBT_VARS)
	$(MAKE) --no-print-directory lint conventions pytest

# Scheduler entry points (docs/operations.md, "Exit codes"). make itself exits 0 or 2 (any
# failing step); the step's own code is in make's last line ("Error N"): dbt 1 = a node failed,
# 2 = dbt could not run or a bad date; run_summary.py 3 = a landing file in scope is quarantined.
# RUN_DATES prints the dates FROM..TO (arguments 1 and 2) and fails on anything but two valid
# YYYY-MM-DD dates in order: a typo must stop the run, not shift the files in scope (file
# stamps are compared with as_of as text), and the loop must not depend on GNU date. It runs
# on the Python that builds .venv (standard library only), so the date is checked before setup.
RUN_DATES = $(PYTHON) -c 'import datetime as dt, sys; a, b = (dt.date.fromisoformat(x) for x in sys.argv[1:3]); sys.exit(1) if [str(a), str(b)] != sys.argv[1:3] or a > b else print(*(a + dt.timedelta(days=n) for n in range((b - a).days + 1)))' 2>/dev/null
CHECK_AS_OF = $(RUN_DATES) "$(AS_OF)" "$(AS_OF)" >/dev/null || { echo "AS_OF must be a date YYYY-MM-DD, got '$(AS_OF)'"; exit 2; }

check-as-of: ## refuse an AS_OF that is not a real date YYYY-MM-DD (every entry point runs this first)
	@test -n "$(PYTHON)" || { echo "needs python3.11 (or python3) on PATH"; exit 2; }
	@$(CHECK_AS_OF)
	@case "$(CLOSED_LOOP_FAIL_ON_QUARANTINE)" in 0|1) ;; *) echo "CLOSED_LOOP_FAIL_ON_QUARANTINE must be 0 or 1, got '$(CLOSED_LOOP_FAIL_ON_QUARANTINE)'"; exit 2;; esac

# One run date: build (extra dbt arguments: $(1)), then, unless a quarantined file stops it
# (CLOSED_LOOP_FAIL_ON_QUARANTINE=1), the export files, then an optional extra step ($(2): make
# run's report), then the summary, printed last. A failed step still prints the summary of what
# the warehouse holds, then exits with the step's code.
SUMMARY = $(BIN)/python scripts/run_summary.py --as-of $(AS_OF)
define RUN_DAY
echo "+ dbt build $(strip $(1)) --vars '{\"as_of\": \"$(AS_OF)\"}'"; \
$(BIN)/dbt build $(1) $(DBT_VARS) \
  || { rc=$$?; $(SUMMARY) --failed "dbt build exited $$rc" || true; exit $$rc; }; \
if [ "$(CLOSED_LOOP_FAIL_ON_QUARANTINE)" = 1 ]; then $(SUMMARY) --stop-on-quarantine || exit $$?; fi; \
echo "+ python scripts/write_exports.py --as-of $(AS_OF)"; \
$(BIN)/python scripts/write_exports.py --as-of $(AS_OF) \
  || { rc=$$?; $(SUMMARY) --failed "write_exports.py exited $$rc" || true; exit $$rc; }; \
$(2) \
$(SUMMARY)
endef
# make run's extra step (argument 2 of RUN_DAY), before the summary: the static report.
REPORT_STEP = echo "+ python scripts/report --as-of $(AS_OF)"; \
$(BIN)/python scripts/report --as-of $(AS_OF) \
  || { rc=$$?; $(SUMMARY) --failed "report exited $$rc" || true; exit $$rc; };

freshness: check-as-of setup ## dbt source freshness of every feed, from the files loaded into the warehouse
	$(BIN)/dbt source freshness $(DBT_VARS)

daily: check-as-of setup ## the scheduled run: dbt build --selector daily, export files, summary (AS_OF=, default today UTC)
	@$(call RUN_DAY,--selector daily)

# The weekly check (docs/operations.md "Tests on a daily run"): the tests a daily run scopes to
# the rows of its run date, over the whole tables.
weekly-tests: check-as-of setup ## the tests tagged run_date_scope over whole tables (schedule weekly)
	$(BIN)/dbt test --selector weekly --vars '{"as_of": "$(AS_OF)", "whole_table_tests": true}'

# Backfill a range of run dates in order: make backfill FROM=2026-10-01 TO=2026-10-07.
# Stops at the first failing date. FROM/TO are checked before anything runs (each date's
# `make daily` sets up .venv).
backfill: ## make daily for each date FROM..TO in order, stopping at the first failure
	@dates=$$($(RUN_DATES) "$(FROM)" "$(TO)") \
	  || { echo "usage: make backfill FROM=YYYY-MM-DD TO=YYYY-MM-DD (FROM <= TO)"; exit 2; }; \
	for d in $$dates; do \
	  echo "== as_of $$d"; \
	  $(MAKE) --no-print-directory daily AS_OF=$$d || exit $$?; \
	done

# Benchmark (README "Benchmark"): SCALE=small (CI) or SCALE=default (1 M customers, 10 M events).
# The benchmark's run date is its own fixed 2026-11-01 (comparable figures), unless AS_OF is
# given (command line or environment; empty = today UTC).
SCALE ?= small
BENCH_AS_OF = $(if $(filter undefined,$(AS_OF_ORIGIN)),,--as-of $(AS_OF))
bench: check-as-of setup ## benchmark (SCALE=small|default, BENCH_ARGS=--reuse-data), figures in bench_results/
	$(BIN)/python scripts/bench.py --scale $(SCALE) $(BENCH_AS_OF) $(BENCH_ARGS)

clean: ## remove target/, logs/, output/
	rm -rf target logs output

# Portability check (docs/engines.md): builds the whole project on Spark and PostgreSQL from the
# shipped sample and compares every table with the DuckDB build. ENGINES=spark (or postgres)
# runs one. Each adapter has its own environment (.venv-spark, .venv-postgres).
ENGINES ?= spark postgres
.PHONY: test-engines
test-engines: export CLOSED_LOOP_LANDING := $(CURDIR)/target/sample/landing
test-engines: export AS_OF := 2026-11-01
test-engines: check-as-of sample ## a full build and two daily runs on Spark and PostgreSQL, compared with DuckDB (ENGINES=spark|postgres)
	PYTHON="$(PYTHON)" ENGINES_DIR="$(CURDIR)/target/engines" bash scripts/test_engines.sh $(ENGINES)
