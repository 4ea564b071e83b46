#!/usr/bin/env bash
# Times the health-snapshot job on a generated book of BENCH_ACCOUNTS accounts (default
# 100,000, with about 10 activities, 2 support tickets, 2 survey responses and 1
# subscription each), against a release build on a scratch SQLite file and, when
# BENCH_POSTGRES_URL names a server, on a scratch PostgreSQL database too.
#
# Per backend: generate the book with `sample-data generate --accounts`, run
# `jobs run health-snapshot` BENCH_RUNS times (the first run of a day writes every
# snapshot and score; later runs replace that day's snapshots), and report for each run
# the job's own time from its job_runs record, the wall time of the command and its peak
# memory. Then it measures the floor: the time the same database takes to bulk-load
# 100,000 rows of health_snapshots into an empty table of the same shape and indexes
# (PostgreSQL: COPY from a client-side file; SQLite: INSERT … SELECT in one transaction,
# since SQLite has no faster bulk path). Everything runs on 127.0.0.1; the scratch
# database is removed at the end.
#
# Usage: scripts/bench-health.sh
#   BENCH_ACCOUNTS=100000               accounts in the generated book
#   BENCH_RUNS=3                        job runs per backend
#   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres
#                                       a PostgreSQL server to create a scratch database
#                                       on; set it empty to skip PostgreSQL
#   BENCH_SKIP_BUILD=1                  use the existing target/release/mango-cs
#   BENCH_BIN=PATH                      the binary to measure (default target/release/mango-cs)

set -euo pipefail

ACCOUNTS=${BENCH_ACCOUNTS:-100000}
RUNS=${BENCH_RUNS:-3}
POSTGRES_URL=${BENCH_POSTGRES_URL-postgres://postgres@127.0.0.1:5432/postgres}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BENCH_BIN:-"$ROOT/target/release/mango-cs"}
SLUG=bench

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
    (cd "$ROOT" && cargo build --release -p server)
fi

WORK=$(mktemp -d /tmp/mango-bench-health.XXXXXX)
PG_DATABASE=""

cleanup() {
    if [ -n "$PG_DATABASE" ]; then
        psql "$POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $PG_DATABASE WITH (FORCE)" >/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# Runs a command and prints "SECONDS PEAK_MIB": wall time and peak resident memory, from
# /usr/bin/time when it is installed, else wall time alone.
measure() {
    local log="$WORK/measure.log"
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%e %M' -o "$log" "$@" >"$WORK/out.log" 2>"$WORK/err.log" || {
            cat "$WORK/out.log" "$WORK/err.log" >&2
            exit 1
        }
        awk '{ printf "%.2f %d", $1, $2 / 1024 }' "$log"
    else
        local start end
        start=$(date +%s.%N)
        "$@" >"$WORK/out.log" 2>"$WORK/err.log" || {
            cat "$WORK/out.log" "$WORK/err.log" >&2
            exit 1
        }
        end=$(date +%s.%N)
        awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f n/a", e - s }'
    fi
}

# Runs SQL on the backend under test and prints the result without decoration.
sql() {
    case "$BACKEND" in
        sqlite) sqlite3 "$SQLITE_FILE" "$1" ;;
        postgres) psql "$PG_URL" -XAtqc "$1" ;;
    esac
}

# Seconds between the latest job run's start and finish, from its record.
job_seconds() {
    case "$BACKEND" in
        sqlite) sql "SELECT printf('%.2f', (julianday(finished_at) - julianday(started_at)) * 86400) FROM job_runs ORDER BY started_at DESC LIMIT 1" ;;
        postgres) sql "SELECT round(extract(epoch FROM finished_at - started_at)::numeric, 2) FROM job_runs ORDER BY started_at DESC LIMIT 1" ;;
    esac
}

# Loads 100,000 snapshot rows into an empty copy of health_snapshots and prints the
# seconds it took. The rows are the job's own snapshots, repeated with new keys.
floor_seconds() {
    local columns="id, business_id, account_id, as_of, overall, neutral, components, created_at, updated_at"
    case "$BACKEND" in
        sqlite)
            sqlite3 "$SQLITE_FILE" >/dev/null <<SQL
CREATE TABLE floor_source AS
    SELECT id || '-' || copy AS id, business_id, account_id, date(as_of, '+' || copy || ' days') AS as_of,
           overall, neutral, components, created_at, updated_at
    FROM health_snapshots, (SELECT 0 AS copy UNION ALL SELECT 1 UNION ALL SELECT 2)
    ORDER BY copy, id LIMIT 100000;
CREATE TABLE floor_snapshots AS SELECT * FROM health_snapshots WHERE 0;
CREATE UNIQUE INDEX floor_snapshots_id ON floor_snapshots (id);
CREATE UNIQUE INDEX floor_snapshots_account_date_key ON floor_snapshots (account_id, as_of);
CREATE INDEX floor_snapshots_business_idx ON floor_snapshots (business_id, as_of);
SQL
            local start end
            start=$(date +%s.%N)
            sqlite3 "$SQLITE_FILE" "PRAGMA synchronous = NORMAL; BEGIN; INSERT INTO floor_snapshots SELECT $columns FROM floor_source; COMMIT;" >/dev/null
            end=$(date +%s.%N)
            sqlite3 "$SQLITE_FILE" "DROP TABLE floor_snapshots; DROP TABLE floor_source;"
            awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
            ;;
        postgres)
            psql "$PG_URL" -Xq >/dev/null <<SQL
\copy (SELECT id || '-' || copy, business_id, account_id, as_of + copy, overall, neutral, components, created_at, updated_at FROM health_snapshots, generate_series(0, 2) AS copy ORDER BY copy, id LIMIT 100000) TO '$WORK/floor.copy'
CREATE TABLE floor_snapshots (LIKE health_snapshots INCLUDING ALL);
SQL
            local start end
            start=$(date +%s.%N)
            psql "$PG_URL" -Xqc "\\copy floor_snapshots ($columns) FROM '$WORK/floor.copy'" >/dev/null
            end=$(date +%s.%N)
            psql "$PG_URL" -Xqc "DROP TABLE floor_snapshots" >/dev/null
            rm -f "$WORK/floor.copy"
            awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
            ;;
    esac
}

run_backend() {
    BACKEND=$1
    export DATABASE_URL=$2 RUST_LOG=warn
    "$BIN" migrate >/dev/null

    local result seconds peak
    result=$(measure "$BIN" sample-data generate --business "$SLUG" --accounts "$ACCOUNTS")
    echo "| $BACKEND | sample-data generate | | ${result% *} | ${result#* } MiB | $(head -1 "$WORK/out.log") |"
    if [ "$BACKEND" = postgres ]; then
        # Autovacuum would analyse the new rows within a minute; the scratch server may have it off.
        sql "ANALYZE" >/dev/null
    fi

    local run
    for run in $(seq 1 "$RUNS"); do
        result=$(measure "$BIN" jobs run health-snapshot --business "$SLUG")
        seconds=${result% *}
        peak=${result#* }
        echo "| $BACKEND | health-snapshot run $run | $(job_seconds) | $seconds | $peak MiB | $(cat "$WORK/out.log") |"
    done
    echo "| $BACKEND | floor: bulk-load 100,000 snapshot rows | $(floor_seconds) | | | |"
}

echo "Book: $ACCOUNTS accounts; machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%d GiB", $2 / 1048576 }' /proc/meminfo) RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| Backend | Step | Job seconds (job_runs) | Command seconds | Peak memory | Output |"
echo "|---|---|---|---|---|---|"
SQLITE_FILE="$WORK/bench.db"
run_backend sqlite "sqlite://$SQLITE_FILE"
rm -f "$SQLITE_FILE" "$SQLITE_FILE-wal" "$SQLITE_FILE-shm"
if [ -n "$POSTGRES_URL" ]; then
    PG_DATABASE="mango_health_bench_$$"
    psql "$POSTGRES_URL" -qc "CREATE DATABASE $PG_DATABASE" >/dev/null
    PG_URL=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$POSTGRES_URL" "$PG_DATABASE")
    run_backend postgres "$PG_URL"
fi
