#!/usr/bin/env bash
# Prints what a first visit downloads: raw and brotli sizes of the app's wasm, js and css in
# dist/, and their total against the budget (180 kB brotli, 1 kB = 1000 bytes).
#
#   bench/bundle-size.sh            # release build with Trunk first, then measure
#   bench/bundle-size.sh --no-build # measure the dist/ already there
#   BUDGET_KB=200 bench/bundle-size.sh --no-build --check   # exit 1 when over budget
#
# Brotli at quality 11, as a static server or CDN would precompress. index.html and the
# favicon are left out: they are tiny and not part of the app bundle.
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

shopt -s nullglob
total_raw=0
total_br=0
printf '%-5s %10s %10s\n' kind raw brotli
for kind in wasm js css; do
  files=(dist/*."$kind")
  if [[ ${#files[@]} == 0 ]]; then
    echo "no dist/*.$kind: build first" >&2
    exit 2
  fi
  raw=$(cat "${files[@]}" | wc -c)
  br=0
  for f in "${files[@]}"; do
    br=$((br + $(brotli -q 11 -c "$f" | wc -c)))
  done
  total_raw=$((total_raw + raw))
  total_br=$((total_br + br))
  printf '%-5s %10d %10d\n' "$kind" "$raw" "$br"
done
printf '%-5s %10d %10d\n' total "$total_raw" "$total_br"
kb=$(awk "BEGIN { printf \"%.1f\", $total_br / 1000 }")
if (( total_br <= budget_kb * 1000 )); then
  echo "initial transfer: $kb kB brotli, within the ${budget_kb} kB budget"
else
  echo "initial transfer: $kb kB brotli, over the ${budget_kb} kB budget"
  [[ $check == 1 ]] && exit 1
fi
exit 0
