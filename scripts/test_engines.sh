#!/usr/bin/env bash
# `make test-engines`: runs the project on Spark and PostgreSQL as a scheduler would - a full
# build at day D, then daily runs for D+1 and D+2 (D+2 = AS_OF) - beside the same sequence on
# DuckDB, and compares every table with DuckDB's after the full build and after the last daily
# run (docs/engines.md).
#
#   scripts/test_engines.sh [spark] [postgres]      (default: both)
#
# Environment (the Makefile sets them): CLOSED_LOOP_LANDING (landing folder), AS_OF (run date),
# ENGINES_DIR (scratch folder, default target/engines), PYTHON (for the virtual environments).
# Each engine's adapter lives in its own virtual environment (.venv-spark, .venv-postgres),
# installed from the pinned requirements-<engine>.txt. PostgreSQL comes from the system's
# packages (installed with apt-get when missing) and runs as a throwaway server on
# 127.0.0.1:$CLOSED_LOOP_PG_PORT with its data under $ENGINES_DIR/postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

ENGINES=("$@")
[ ${#ENGINES[@]} -gt 0 ] || ENGINES=(spark postgres)
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
ENGINES_DIR=${ENGINES_DIR:-$ROOT/target/engines}
AS_OF=${AS_OF:-2026-11-01}
: "${CLOSED_LOOP_LANDING:?CLOSED_LOOP_LANDING must name the landing folder}"
export AS_OF CLOSED_LOOP_LANDING
export DBT_PROFILES_DIR=$ROOT DBT_SEND_ANONYMOUS_USAGE_STATS=false DO_NOT_TRACK=1
export CLOSED_LOOP_PG_PORT=${CLOSED_LOOP_PG_PORT:-55432}
export CLOSED_LOOP_SPARK_DIR=$ENGINES_DIR/spark
export SPARK_LOCAL_IP=127.0.0.1 PYSPARK_SUBMIT_ARGS="--conf spark.ui.enabled=false pyspark-shell"
export TZ=UTC
# the run dates: D, D+1, D+2 = AS_OF
DAYS=("$(date -u -d "$AS_OF - 2 days" +%F)" "$(date -u -d "$AS_OF - 1 day" +%F)" "$AS_OF")
vars_for() { echo "{\"as_of\": \"$1\"}"; }
REFERENCE=$ENGINES_DIR/duckdb/closedloop_duckdb.duckdb
mkdir -p "$ENGINES_DIR"

# Spark's start-up chatter on stderr (kept out of the log; errors still show)
SPARK_NOISE="^(WARNING: Using incubator|Using Spark's default log4j|Setting default log level|To adjust logging level|[0-9/]+ [0-9:]+ WARN )"
now() { date +%s; }
log() { echo "[test-engines $(date -u +%H:%M:%S)] $*"; }
SUMMARY=()

# --- the DuckDB reference: the same sequence of runs ----------------------------------------
reference_day() {  # day index
    local day=${DAYS[$1]} t0; t0=$(now)
    if [ "$1" = 0 ]; then rm -rf "$ENGINES_DIR/duckdb"; mkdir -p "$ENGINES_DIR/duckdb"; fi
    log "DuckDB $([ "$1" = 0 ] && echo "full build" || echo "daily run") of $CLOSED_LOOP_LANDING (as_of $day)"
    CLOSED_LOOP_DB=$REFERENCE DBT_TARGET_PATH=$ENGINES_DIR/duckdb/dbt DBT_LOG_PATH=$ENGINES_DIR/duckdb/logs \
        "$ROOT/.venv/bin/dbt" build --target duckdb --vars "$(vars_for "$day")" --quiet
    SUMMARY+=("duckdb as_of $day: $(( $(now) - t0 )) s")
}

# --- virtual environments ---------------------------------------------------------------------
ensure_venv() {  # engine
    local venv=$ROOT/.venv-$1 req=$ROOT/requirements-$1.txt
    if [ ! -f "$venv/.installed" ] || [ "$req" -nt "$venv/.installed" ]; then
        log "installing $venv from $(basename "$req")"
        test -x "$venv/bin/python" || "$PYTHON" -m venv "$venv" || return 1
        "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" || return 1
        touch "$venv/.installed"
    fi
}

# --- PostgreSQL server ------------------------------------------------------------------------
PG_STARTED=""
PG_DIR=""
as_pg() {  # runs a command as the server's owner (PostgreSQL refuses to run as root)
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
start_postgres() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -z "$bin" ] && command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
        bin=$(dirname "$(command -v pg_ctl)")
    fi
    if [ -z "$bin" ]; then
        log "installing PostgreSQL (apt-get)"
        if [ "$(id -u)" != 0 ]; then echo "PostgreSQL is missing and this is not root: install postgresql" >&2; exit 1; fi
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq postgresql >/dev/null || return 1
        bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
    PG_DIR=$ENGINES_DIR/postgres
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
        # the server's owner must reach its folder; else use one under /tmp
        if ! runuser -u postgres -- test -x "$ENGINES_DIR"; then PG_DIR=$(mktemp -d /tmp/closedloop-pg.XXXXXX); fi
    fi
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then  # left running by an interrupted run
        as_pg "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"; mkdir -p "$PG_DIR"
    [ "$(id -u)" != 0 ] || chown postgres: "$PG_DIR"
    log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') in $PG_DIR, port $CLOSED_LOOP_PG_PORT"
    as_pg "$bin/initdb" -D "$PG_DIR/data" -U closedloop --auth=trust -E UTF8 \
        --lc-collate=C --lc-ctype=C.UTF-8 --lc-messages=C >/dev/null || return 1
    as_pg "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-p $CLOSED_LOOP_PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c timezone=UTC -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=20" start >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
    PG_STARTED=$bin
    "$bin/createdb" -h 127.0.0.1 -p "$CLOSED_LOOP_PG_PORT" -U closedloop closedloop
}
stop_postgres() {
    if [ -n "$PG_STARTED" ]; then
        as_pg "$PG_STARTED/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null || true
        PG_STARTED=""
    fi
}
trap stop_postgres EXIT

# --- one engine -------------------------------------------------------------------------------
# The engines run each day side by side (background subshells), so each one's timings and
# status live in files under $STATE, not in shell variables.
STATE=$ENGINES_DIR/state
rm -rf "$STATE"; mkdir -p "$STATE"
add_time() { printf '%s' "$2" >> "$STATE/$1.times"; }                  # engine, text
fail() { echo "$2" >> "$STATE/$1.status"; }                            # engine, text
status_of() { [ ! -f "$STATE/$1.status" ] || awk 'NR > 1 { printf "; " } { printf "%s", $0 }' "$STATE/$1.status"; }
setup_engine() {  # engine
    local engine=$1 venv=$ROOT/.venv-$1 t0; t0=$(now)
    ensure_venv "$engine" || { fail "$engine" "installing $venv FAILED"; return 1; }
    if [ "$engine" = spark ]; then
        rm -rf "$CLOSED_LOOP_SPARK_DIR"; mkdir -p "$CLOSED_LOOP_SPARK_DIR"
    elif ! start_postgres; then
        fail "$engine" "starting PostgreSQL FAILED"; return 1
    fi
    add_time "$engine" "install $(( $(now) - t0 )) s"
}

engine_day() {  # engine, day index: the landing relations of DuckDB's run, then the same run
    local engine=$1 day=${DAYS[$2]} venv=$ROOT/.venv-$1 t0 t1 rc=0 build_log only_data=()
    build_log=$ENGINES_DIR/$engine-build-$day.log
    # the unit tests do not read the warehouse: they ran on this engine in the full build
    [ "$2" = 0 ] || only_data=(--exclude-resource-type unit_test)
    t0=$(now)
    log "$engine: loading the landing relations of DuckDB's run (as_of $day)"
    if ! (cd "$ENGINES_DIR" && "$venv/bin/python" "$ROOT/scripts/load_landing.py" --target "$engine" --duckdb "$REFERENCE") \
        2> >(grep -v -E "$SPARK_NOISE" >&2); then
        fail "$engine" "landing load (as_of $day) FAILED"; return 1
    fi
    t1=$(now)
    log "$engine: dbt build (as_of $day, $([ "$2" = 0 ] && echo "full build" || echo "daily run"))"
    (cd "$ROOT" && DBT_TARGET_PATH=$ENGINES_DIR/$engine-dbt DBT_LOG_PATH=$ENGINES_DIR/$engine-logs \
        "$venv/bin/dbt" build --target "$engine" --vars "$(vars_for "$day")" ${only_data[@]+"${only_data[@]}"} \
        > "$build_log" 2>&1) || rc=$?
    grep -E "^[0-9:]+ +(Finished running|Done\.|Completed with)" "$build_log" || true
    add_time "$engine" ", $day: load $((t1 - t0)) s, dbt build $(( $(now) - t1 )) s"
    if [ "$rc" != 0 ]; then
        grep -E "ERROR|FAIL" "$build_log" | grep -E "^[0-9:]+ +[0-9]+ of" | head -40 || true
        grep -A12 -E "^[0-9:]+ +(Failure|Runtime Error|Compilation Error|Database Error) in" "$build_log" | cut -c1-400 | head -120 || true
        log "$engine: dbt build failed (full log: $build_log)"
        fail "$engine" "dbt build (as_of $day) FAILED"; return 1
    fi
}

compare_engine() {  # engine, label
    local engine=$1 venv=$ROOT/.venv-$1 t0; t0=$(now)
    log "$engine: comparing with DuckDB ($2)"
    if ! (cd "$ENGINES_DIR" && "$venv/bin/python" "$ROOT/scripts/compare_engines.py" --target "$engine" \
            --duckdb "$REFERENCE" --label "$engine $2") 2> >(grep -v -E "$SPARK_NOISE" >&2); then
        fail "$engine" "$2 differs"
    fi
    add_time "$engine" ", compare $(( $(now) - t0 )) s"
}

# one engine's run of day $2: load, build, and the comparison after the first and last days
engine_sequence_day() {  # engine, day index
    engine_day "$1" "$2" || return 0
    if [ "$2" = 0 ]; then compare_engine "$1" "full build (as_of ${DAYS[0]})"; fi
    if [ "$2" = $(( ${#DAYS[@]} - 1 )) ]; then compare_engine "$1" "daily sequence"; fi
}

START=$(now)
ACTIVE=()
for engine in "${ENGINES[@]}"; do
    case $engine in spark|postgres) ;; *) echo "unknown engine $engine" >&2; exit 2 ;; esac
    if setup_engine "$engine"; then ACTIVE+=("$engine"); fi
done
# Each day: DuckDB's run first (the engines load its landing relations), then the engines
# side by side - Spark's JVM and PostgreSQL's dbt process each keep about one core busy.
# Their output is prefixed with the engine's name.
for i in "${!DAYS[@]}"; do
    reference_day "$i"
    for engine in "${ACTIVE[@]}"; do
        case $(status_of "$engine") in *FAILED*) continue ;; esac  # a failed load or build ends its sequence
        engine_sequence_day "$engine" "$i" 2>&1 | sed -u "s/^/[$engine] /" &
    done
    wait
done
stop_postgres
log "summary (total $(( $(now) - START )) s):"
for line in "${SUMMARY[@]}"; do echo "  $line"; done
FAILED=0
for engine in "${ENGINES[@]}"; do
    status=$(status_of "$engine")
    echo "  $engine: $(cat "$STATE/$engine.times" 2>/dev/null || true) -> ${status:-ok}"
    [ -z "$status" ] || FAILED=$((FAILED + 1))
done
passed=$(( ${#ENGINES[@]} - FAILED ))
echo "engines: $passed passed, $FAILED failed"
[ "$FAILED" = 0 ]
