#!/usr/bin/env bash
# Times the CSV import and export of accounts on a file of BENCH_ROWS rows (default
# 100,000), against a release build on a scratch database, on SQLite and, when
# BENCH_POSTGRES_URL names a server, on PostgreSQL too.
#
# Steps per backend: preview and commit of new accounts, the same file again (every row
# unchanged), a file that changes the stage of every account (updates and timeline
# entries), and the CSV export of all accounts. Requests go to 127.0.0.1 only; the server
# process and the scratch database are removed at the end.
#
# Usage: scripts/bench-import.sh
#   BENCH_ROWS=100000                   rows in the generated file
#   BENCH_PORT=18473                    port of the server under test; must be free
#   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres
#                                       a PostgreSQL server to create a scratch database
#                                       on; set it empty to skip PostgreSQL
#   BENCH_SKIP_BUILD=1                  use the existing target/release/mango-cs

set -euo pipefail

ROWS=${BENCH_ROWS:-100000}
PORT=${BENCH_PORT:-18473}
POSTGRES_URL=${BENCH_POSTGRES_URL-postgres://postgres@127.0.0.1:5432/postgres}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="$ROOT/target/release/mango-cs"
BASE="http://127.0.0.1:$PORT"

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
    (cd "$ROOT" && cargo build --release -p server)
fi

WORK=$(mktemp -d /tmp/mango-bench.XXXXXX)
SERVER_PID=""
PG_DATABASE=""

cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ -n "$PG_DATABASE" ]; then
        psql "$POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $PG_DATABASE WITH (FORCE)" >/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# Writes a HubSpot-style companies export: quoted names with commas, websites, lifecycle
# stages, owners by name, renewal dates and a custom field column.
generate() {
    local stage=$1 file=$2
    awk -v rows="$ROWS" -v stage="$stage" 'BEGIN {
        printf "Record ID,Company name,Company Domain Name,Website URL,Lifecycle Stage,Industry,Company owner,Renewal Date,Seats\r\n"
        for (i = 1; i <= rows; i++) {
            printf "%d,\"Company %d, Inc.\",company%d.example,https://www.company%d.example/,%s,Software,Bench Owner,2027-%02d-%02d,%d\r\n", \
                100000 + i, i, i, i, stage, (i % 12) + 1, (i % 28) + 1, i % 500
        }
    }' > "$file"
}

generate customer "$WORK/new.csv"
generate lead "$WORK/changed.csv"
SIZE_MB=$(awk -v bytes="$(stat -c %s "$WORK/new.csv")" 'BEGIN { printf "%.1f", bytes / 1048576 }')

# Prints the seconds a request took, and exits unless the response status is 200.
timed() {
    local output=$1
    shift
    local result
    result=$(curl -sS -o "$output" -w '%{http_code} %{time_total}' "$@")
    if [ "${result%% *}" != "200" ]; then
        echo "request failed: $* -> $result: $(head -c 500 "$output")" >&2
        exit 1
    fi
    echo "${result#* }"
}

import_id() {
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["import_id"])' "$1"
}

# The server's peak resident memory so far (VmHWM), in MiB.
peak() {
    awk '/VmHWM/ { printf "%d MiB", $2 / 1024 }' "/proc/$SERVER_PID/status"
}

counts() {
    python3 -c 'import json, sys; c = json.load(open(sys.argv[1]))["counts"]; print("new {new}, updated {updated}, unchanged {unchanged}, invalid {invalid}".format(**c))' "$1"
}

run_backend() {
    local name=$1 url=$2
    export DATABASE_URL=$url RUST_LOG=warn
    if curl -s -o /dev/null "$BASE/healthz"; then
        echo "port $PORT is already in use; set BENCH_PORT to a free port" >&2
        exit 1
    fi
    "$BIN" migrate >/dev/null
    "$BIN" businesses create --name "Bench" --slug bench >/dev/null
    "$BIN" users create --business bench --email owner@bench.test --name "Bench Owner" --role manager >/dev/null
    local token
    token=$("$BIN" tokens create --email owner@bench.test --name bench)
    "$BIN" serve --bind "127.0.0.1:$PORT" >"$WORK/server-$name.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 50); do
        curl -sf "$BASE/healthz" >/dev/null 2>&1 && break
        sleep 0.2
    done
    local auth="Authorization: Bearer $token"
    local seats_field='{"entity":"account","key":"seats","label":"Seats","kind":"number"}'
    # Only admins define custom fields, so the field is created with an admin's token.
    "$BIN" users create --business bench --email admin@bench.test --role admin >/dev/null
    local admin_token
    admin_token=$("$BIN" tokens create --email admin@bench.test --name bench)
    curl -sSf -o /dev/null -H "Authorization: Bearer $admin_token" -H 'content-type: application/json' \
        -d "$seats_field" "$BASE/api/v1/custom-fields"

    local preview_url="$BASE/api/v1/imports/accounts/preview"
    local step seconds out
    for step in new unchanged changed; do
        local file="$WORK/new.csv"
        [ "$step" = changed ] && file="$WORK/changed.csv"
        out="$WORK/$name-$step-preview.json"
        seconds=$(timed "$out" -H "$auth" -H 'content-type: text/csv' --data-binary "@$file" "$preview_url")
        echo "| $name | preview ($step) | $seconds | $(counts "$out") | $(peak) |"
        local id
        id=$(import_id "$out")
        out="$WORK/$name-$step-commit.json"
        seconds=$(timed "$out" -X POST -H "$auth" "$BASE/api/v1/imports/$id/commit")
        echo "| $name | commit ($step) | $seconds | $(counts "$out") | $(peak) |"
    done
    out="$WORK/$name-export.csv"
    seconds=$(timed "$out" -H "$auth" "$BASE/api/v1/accounts.csv")
    echo "| $name | export | $seconds | $(($(wc -l <"$out") - 1)) accounts | $(peak) |"

    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

echo "File: $ROWS rows, $SIZE_MB MiB; machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%d GiB", $2 / 1048576 }' /proc/meminfo) RAM"
echo
echo "| Backend | Step | Seconds | Result | Server peak memory so far |"
echo "|---|---|---|---|---|"
run_backend sqlite "sqlite://$WORK/bench.db"
if [ -n "$POSTGRES_URL" ]; then
    PG_DATABASE="mango_bench_$$"
    psql "$POSTGRES_URL" -qc "CREATE DATABASE $PG_DATABASE" >/dev/null
    run_backend postgres "$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$POSTGRES_URL" "$PG_DATABASE")"
fi
