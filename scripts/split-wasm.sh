#!/usr/bin/env bash
# Splits the app's wasm at its split points (src/on_demand.rs) and puts the pieces in
# dist/ in place of the single wasm Trunk wrote (run by scripts/build-web.sh after `trunk build`).
#
# Trunk builds, binds and optimises one wasm; it has no step for splitting. So the wasm cargo
# built for Trunk (linked with --emit-relocs, which wasm-split-cli needs to move functions
# between modules) is split here, then bound again by wasm-bindgen under the file names Trunk
# chose (its index.html loads them), and each piece optimised by wasm-opt as Trunk would. The
# pieces: the main module (the shell every visitor loads), one module per screen, chunks shared
# by several screens, and __wasm_split.js, which fetches a screen's modules on first use.
# scripts/finish-bundle.mjs then rewrites the integrity hashes in index.html.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

dist=${1:-dist}
target_dir=${CARGO_TARGET_DIR:-target}
input="$target_dir/wasm32-unknown-unknown/release/nova-web.wasm"
[ -f "$input" ] || { echo "split-wasm: $input missing (run trunk build --release first)" >&2; exit 1; }

# Trunk's hashed name, e.g. dist/nova-web-1a2b3c_bg.wasm -> nova-web-1a2b3c.
bound=("$dist"/nova-web-*_bg.wasm)
[ ${#bound[@]} = 1 ] && [ -f "${bound[0]}" ] || { echo "split-wasm: expected one $dist/nova-web-*_bg.wasm" >&2; exit 1; }
name=$(basename "${bound[0]}" _bg.wasm)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-split-cli --target web --out-name "$name" "$input" "$work/split"
# --keep-lld-exports: the screen modules import the main module's functions by these names.
wasm-bindgen --target web --keep-lld-exports --no-typescript \
    --out-dir "$work/bound" --out-name "$name" "$work/split/$name.wasm"

rm -f "$dist"/chunk_*.wasm "$dist"/split_*.wasm "$dist"/__wasm_split*
# Which modules each screen needs (bench/bundle-size.sh reports each role's download from it).
node scripts/split-manifest.mjs "$work/split/__wasm_split.js" > "$dist/__wasm_split_manifest.json"
cp "$work/bound/$name.js" "$dist/$name.js"
cp "$work/split/__wasm_split.js" "$dist/__wasm_split.js"
optimise() { wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$1" -o "$2"; }
optimise "$work/bound/${name}_bg.wasm" "$dist/${name}_bg.wasm"
shopt -s nullglob
for piece in "$work"/split/chunk_*.wasm "$work"/split/split_*.wasm; do
    optimise "$piece" "$dist/$(basename "$piece")"
done
echo "split-wasm: $(ls "$work"/split/*.wasm | wc -l) modules" >&2
