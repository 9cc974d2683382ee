#!/usr/bin/env bash
# The fan-out benchmark (bench/src/bin/fanout.rs): nova-server in its own process against the
# Node socket.io reference (bench/node-ref, installed here from the npm registry), same load,
# one table with the ratio. Parameters: `--help`, or BENCH_SOCKETS, BENCH_RATE, BENCH_SECONDS…
#
#   bench/fanout.sh
#   BENCH_SOCKETS=500 BENCH_SECONDS=5 bench/fanout.sh
#   BENCH_NODE=0 bench/fanout.sh          # Nova only
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${BENCH_PROFILE:-server}
export RUST_LOG=${RUST_LOG:-warn}

if [ "${BENCH_NODE:-1}" = 1 ] && [ ! -d bench/node-ref/node_modules/socket.io ]; then
    (cd bench/node-ref && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
# 2,000 sockets on each side, plus the client's: more than the default 1,024 descriptors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cargo build --quiet -p nova-server -p nova-bench --profile "$profile" --bin nova-server --bin fanout
"${CARGO_TARGET_DIR:-target}/$profile/fanout" "$@"
