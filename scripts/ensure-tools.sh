#!/usr/bin/env bash
# Install the tools that `make run` / `make test` need, skipping whatever is
# already present. Safe to run repeatedly; prints only what it installs.
#
#   - rustup target wasm32-unknown-unknown, components rustfmt + clippy + rust-src
#     (rust-src: scripts/build-web.sh rebuilds the standard library for size)
#   - trunk 0.21.14 (0.22 needs a newer rustc)
#   - wasm-bindgen-cli = the wasm-bindgen version in Cargo.lock
#     (also provides wasm-bindgen-test-runner)
#   - wasm-split-cli 0.2.4 (scripts/split-wasm.sh: the screens' modules loaded on demand)
#   - Debian chromium + chromium-driver (browser tests), brotli (size bench)
#   - end2end/node_modules: Playwright, binaryen 132 (wasm-opt), esbuild (JS glue), socket.io-client
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

TRUNK_VERSION=0.21.14
export PATH="$HOME/.cargo/bin:$PATH"

say() { echo "ensure-tools: $*"; }

# --- Rust toolchain pieces ---------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "installing rustup target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy rust-src; do
    if ! rustup component list --installed | grep -q "^${component}"; then
        say "installing rustup component ${component}"
        rustup component add "${component}"
    fi
done

# --- Trunk -------------------------------------------------------------------
if [ "$(trunk --version 2>/dev/null || true)" != "trunk ${TRUNK_VERSION}" ]; then
    say "installing trunk ${TRUNK_VERSION} (cargo install, several minutes)"
    cargo install trunk --locked --version "=${TRUNK_VERSION}"
fi

# --- wasm-bindgen-cli, same version as the wasm-bindgen crate in Cargo.lock ---
WB_VERSION=$(awk '
    /^name = "wasm-bindgen"$/ { found = 1; next }
    found && /^version = / { gsub(/version = |"/, ""); print; exit }
' Cargo.lock)
if [ -z "${WB_VERSION}" ]; then
    echo "ensure-tools: no wasm-bindgen package in Cargo.lock" >&2
    exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen ${WB_VERSION}" ] \
    || ! command -v wasm-bindgen-test-runner >/dev/null; then
    say "installing wasm-bindgen-cli ${WB_VERSION} (cargo install, a few minutes)"
    # No --locked: its lockfile pins a crate version that crates.io lacks.
    cargo install wasm-bindgen-cli --version "=${WB_VERSION}" --force
fi

# --- wasm-split-cli (crate wasm_split_cli_support, the tool cargo-leptos uses as a library) ---
WASM_SPLIT_VERSION=0.2.4
# It prints no version; cargo's list of installed crates says which one is there.
if ! command -v wasm-split-cli >/dev/null \
    || ! cargo install --list | grep -qx "wasm_split_cli_support v${WASM_SPLIT_VERSION}:"; then
    say "installing wasm-split-cli ${WASM_SPLIT_VERSION} (cargo install, a minute or two)"
    cargo install wasm_split_cli_support --locked --version "=${WASM_SPLIT_VERSION}" \
        --features build-binary --force
fi

# --- Debian packages: headless Chromium + driver, brotli ------------------------
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! command -v brotli >/dev/null; then
    say "installing Debian packages chromium chromium-driver brotli"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y chromium chromium-driver brotli
fi

# --- npm packages for end2end (Playwright, wasm-opt 132, socket.io-client) ------
if ! command -v npm >/dev/null; then
    echo "ensure-tools: npm not found (Node.js >= 18 with npm is required)" >&2
    exit 1
fi
E2E="${ROOT}/end2end"
if [ ! -f "${E2E}/node_modules/.package-lock.json" ] \
    || [ "${E2E}/package-lock.json" -nt "${E2E}/node_modules/.package-lock.json" ] \
    || [ "${E2E}/package.json" -nt "${E2E}/node_modules/.package-lock.json" ]; then
    say "installing npm packages in end2end/ (npm ci)"
    (cd "${E2E}" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
    touch "${E2E}/node_modules/.package-lock.json"
fi
