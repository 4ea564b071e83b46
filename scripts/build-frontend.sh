#!/usr/bin/env bash
# Builds the release browser app into frontend/dist with Trunk, offline, using the tools
# that scripts/install-frontend-tools.sh installs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/frontend"

fail() { printf 'build-frontend: %s\n' "$*" >&2; exit 1; }

# wasm-opt from npm's binaryen comes first on PATH: Debian's binaryen 108 produces a wasm
# that fails to load with Leptos 0.8.
export PATH="$ROOT/frontend/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
command -v trunk >/dev/null || fail "trunk is missing; run scripts/install-frontend-tools.sh"
command -v wasm-bindgen >/dev/null || fail "wasm-bindgen is missing; run scripts/install-frontend-tools.sh"
[[ -x node_modules/.bin/wasm-opt ]] || fail "wasm-opt is missing; run scripts/install-frontend-tools.sh"

# Dependencies are fetched first so that Trunk can run offline: online, it tries to
# download tools and check for updates.
cargo fetch --locked
TRUNK_OFFLINE=true trunk build --release --offline --locked

wasm="$(ls dist/*.wasm)"
printf 'build-frontend: built frontend/dist (%s: %s bytes)\n' "$(basename "$wasm")" "$(wc -c < "$wasm")"
