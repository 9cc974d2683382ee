#!/usr/bin/env bash
# Prints what the browser downloads, brotli quality 11 (1 kB = 1000 bytes): the first visit
# (the shell: main wasm, JS, CSS), checked against the budget (180 kB), then what each screen
# adds when a role first opens it (its own module and the shared chunks it needs, from
# dist/__wasm_split_manifest.json), and every file together.
#
#   bench/bundle-size.sh            # release build with Trunk first, then measure
#   bench/bundle-size.sh --no-build # measure the dist/ already there
#   BUDGET_KB=200 bench/bundle-size.sh --no-build --check   # exit 1 when over budget
#
# Brotli at quality 11, as a static server or CDN would precompress. index.html, the favicon
# and the manifest are left out: they are tiny and not part of the app's code.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
check=0
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --check) check=1 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done
budget_kb=${BUDGET_KB:-180}

if [[ $build == 1 ]]; then
  # wasm-opt 132 from end2end/node_modules must shadow Debian's older one (see Makefile).
  PATH="$PWD/end2end/node_modules/.bin:$PATH" scripts/build-web.sh >&2
fi
command -v brotli >/dev/null || { echo "brotli is missing (apt-get install brotli)" >&2; exit 2; }

br() { local n=0 f; for f in "$@"; do n=$((n + $(brotli -q 11 -c "$f" | wc -c))); done; echo "$n"; }
raw() { cat "$@" | wc -c; }
kb() { awk "BEGIN { printf \"%.1f kB\", $1 / 1000 }"; }

shopt -s nullglob
# The first visit: everything but the screens' modules.
main_wasm=()
for f in dist/*.wasm; do
  case "$(basename "$f")" in chunk_*|split_*) ;; *) main_wasm+=("$f") ;; esac
done
js=(dist/*.js)
css=(dist/*.css)
for kind in main_wasm js css; do
  declare -n files=$kind
  if [[ ${#files[@]} == 0 ]]; then
    echo "no $kind file in dist/: build first" >&2
    exit 2
  fi
done

echo "first visit (sign-in, top bar, real-time store, toasts, offline queue)"
printf '  %-5s %10s %10s\n' kind raw brotli
total_raw=0
total_br=0
for kind in main_wasm js css; do
  declare -n files=$kind
  r=$(raw "${files[@]}")
  b=$(br "${files[@]}")
  total_raw=$((total_raw + r))
  total_br=$((total_br + b))
  printf '  %-5s %10d %10d\n' "${kind#main_}" "$r" "$b"
done
printf '  %-5s %10d %10d\n' total "$total_raw" "$total_br"

manifest=dist/__wasm_split_manifest.json
all_br=$total_br
if [[ -f $manifest ]]; then
  echo "each screen, first opened (its modules, brotli; with the first visit)"
  # One line per screen: its name (without the hash the split tool appends), then its files.
  screens=$(node -e 'const m = require(process.argv[1]);
    for (const [s, f] of Object.entries(m)) console.log(s.replace(/_\d+$/, "") + " " + f.join(" "));' "$PWD/$manifest")
  while read -r screen files; do
    paths=()
    for f in $files; do paths+=("dist/$f"); done
    b=$(br "${paths[@]}")
    printf '  %-20s +%9s  = %s\n' "$screen" "$(kb "$b")" "$(kb $((total_br + b)))"
  done <<< "$screens"
  split=(dist/chunk_*.wasm dist/split_*.wasm)
  all_br=$((total_br + $(br "${split[@]}")))
  echo "every file: $(kb "$all_br") brotli (${#split[@]} screen and shared modules)"
fi

if (( total_br <= budget_kb * 1000 )); then
  echo "initial transfer: $(kb "$total_br") brotli, within the ${budget_kb} kB budget"
else
  echo "initial transfer: $(kb "$total_br") brotli, over the ${budget_kb} kB budget"
  [[ $check == 1 ]] && exit 1
fi
exit 0
