#!/usr/bin/env bash
# Release build of the browser app into dist/ with Trunk (what `make dist` and
# bench/bundle-size.sh run). Extra arguments go to `trunk build`.
#
# The standard library is rebuilt with the app (-Zbuild-std) so that it is optimised for size
# with the rest and panics abort on the spot (-Cpanic=immediate-abort): the panic machinery
# and the formatting it keeps alive leave the bundle (-18.7 kB brotli, README "Bundle").
# Those are unstable options; this machine has one stable toolchain and no nightly, so
# RUSTC_BOOTSTRAP=1 enables them for this build alone (rust-src is installed by
# scripts/ensure-tools.sh). In release the app installs no panic hook, so a panic already
# ended in a bare `unreachable` trap: nothing a user or a developer saw is lost.
# NOVA_BUILD_STD=0 builds with the prebuilt standard library instead (the fallback if a
# toolchain update breaks these options).
# -Zfmt-debug=none: `{:?}` prints nothing in the bundle (−2.8 kB brotli); the app shows no
# debug text to anyone, and the tests, built without this script, keep it.
# --cfg erase_components: as in .cargo/config.toml, whose list this variable replaces.
# --cfg nova_split with -Clink-args=--emit-relocs: each role's screens (and the notification
# panel) become a module of their own, loaded on first use (src/on_demand.rs,
# scripts/split-wasm.sh). NOVA_SPLIT=0 builds one module, as before.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

flags="--cfg erase_components"
if [ "${NOVA_BUILD_STD:-1}" = 1 ]; then
    export RUSTC_BOOTSTRAP=1
    export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
    flags="-Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none $flags"
fi
split=${NOVA_SPLIT:-1}
if [ "$split" = 1 ]; then
    flags="$flags --cfg nova_split -Clink-args=--emit-relocs"
fi
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$flags"
# Trunk runs cargo with --offline (Trunk.toml): fetch the app's crates first, and those of the
# standard library when it is rebuilt (for the wasm target: its allocator, dlmalloc, is
# fetched only when that target is named).
cargo fetch
cargo fetch --target wasm32-unknown-unknown
trunk build --release "$@"
if [ "$split" = 1 ]; then
    scripts/split-wasm.sh dist
fi
# Trunk's JS minifier cannot read wasm-bindgen's glue: esbuild minifies it instead, and the
# integrity hashes in index.html are written again for the files changed since Trunk.
node scripts/finish-bundle.mjs dist
