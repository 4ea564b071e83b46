#!/usr/bin/env bash
# Runs the browser tests in e2e/ against the built app (frontend/dist, built first when
# missing) and the server binary. Each test starts its own `mango-cs serve` on 127.0.0.1
# with a fresh SQLite database. Screenshots go to e2e/artifacts/.
#
# Environment:
#   MANGO_CS_BIN          server binary (default: target/debug/mango-cs)
#   MANGO_CS_STATIC_DIR   built browser app (default: frontend/dist)
#   CHROMIUM_PATH         browser (default: /usr/bin/chromium)
#   E2E_TESTS             test files to run (default: every e2e/tests/*.test.js)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MANGO_CS_BIN="${MANGO_CS_BIN:-$ROOT/target/debug/mango-cs}"
export MANGO_CS_STATIC_DIR="${MANGO_CS_STATIC_DIR:-$ROOT/frontend/dist}"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

fail() { printf 'e2e: %s\n' "$*" >&2; exit 1; }

[[ -x "$MANGO_CS_BIN" ]] || fail "no server binary at $MANGO_CS_BIN; run 'cargo build -p server' or set MANGO_CS_BIN"
if [[ ! -f "$MANGO_CS_STATIC_DIR/index.html" ]]; then
    [[ "$MANGO_CS_STATIC_DIR" == "$ROOT/frontend/dist" ]] || fail "no built app in $MANGO_CS_STATIC_DIR"
    printf 'e2e: no built app in frontend/dist; building it\n'
    "$ROOT/scripts/build-frontend.sh"
fi
[[ -x "$CHROMIUM_PATH" ]] || fail "no browser at $CHROMIUM_PATH; run scripts/install-frontend-tools.sh"
[[ -d "$ROOT/e2e/node_modules/playwright-core" ]] || fail "playwright-core is missing; run scripts/install-frontend-tools.sh"

cd "$ROOT/e2e"
rm -rf artifacts
mkdir -p artifacts

# One test at a time: each starts a server and a browser, and the machine may be small.
# shellcheck disable=SC2086
exec node --test --test-concurrency=1 --test-reporter=spec ${E2E_TESTS:-tests/}
