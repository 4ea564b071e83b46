#!/usr/bin/env bash
# Installs what building and testing the browser app needs, skipping what is already
# there at the right version: the wasm32 target, Trunk, wasm-bindgen-cli (the version in
# frontend/Cargo.lock), npm packages (wasm-opt from binaryen, playwright-core) and
# Debian's Chromium for the browser tests. Safe to run again.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"

log() { printf 'install-frontend-tools: %s\n' "$*"; }
fail() { printf 'install-frontend-tools: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || fail "cargo is missing; install Rust with rustup first"
command -v rustup >/dev/null || fail "rustup is missing; it installs the wasm32 target"
command -v npm >/dev/null || fail "npm is missing; install Node.js 18 or newer (apt-get install nodejs npm)"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# The wasm32 standard library.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "wasm32-unknown-unknown target present"
else
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

# Trunk: 0.22 needs a newer rustc than this project's toolchain, so 0.21 is pinned.
installed_trunk="$(trunk --version 2>/dev/null | awk '{print $2}' || true)"
if [[ "$installed_trunk" == "$TRUNK_VERSION" ]]; then
    log "trunk $TRUNK_VERSION present"
else
    log "installing trunk $TRUNK_VERSION (found: ${installed_trunk:-none}); a cold build takes several minutes"
    cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-bindgen-cli must equal the wasm-bindgen crate in the lock file. Its own lock file
# pins a crate version that the registry no longer serves, so it is built without --locked.
bindgen_version="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/frontend/Cargo.lock")"
[[ -n "$bindgen_version" ]] || fail "no wasm-bindgen version found in frontend/Cargo.lock"
installed_bindgen="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [[ "$installed_bindgen" == "$bindgen_version" ]]; then
    log "wasm-bindgen-cli $bindgen_version present"
else
    log "installing wasm-bindgen-cli $bindgen_version (found: ${installed_bindgen:-none})"
    cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

# npm packages, exactly as their lock files pin them. package.json pins exact versions,
# so `npm ls` fails whenever the installed tree does not match and `npm ci` is needed.
for dir in frontend e2e; do
    if (cd "$ROOT/$dir" && npm ls --depth=0 >/dev/null 2>&1); then
        log "npm packages of $dir/ present"
    else
        log "installing npm packages of $dir/"
        (cd "$ROOT/$dir" && npm ci --no-audit --no-fund)
    fi
done

# Chromium and its driver from Debian, for the browser tests. Playwright's own browser
# downloads are never used.
if [[ -x /usr/bin/chromium ]]; then
    log "chromium present"
else
    command -v apt-get >/dev/null || fail "/usr/bin/chromium is missing and apt-get is not available to install it"
    log "installing chromium and chromium-driver from Debian"
    export DEBIAN_FRONTEND=noninteractive
    SUDO=""
    [[ "$(id -u)" == "0" ]] || SUDO="sudo"
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends chromium chromium-driver fonts-dejavu-core
fi

log "done"
