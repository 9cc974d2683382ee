#!/usr/bin/env bash
# Builds and runs the backend benchmarks (bench/src/bin/slots.rs, booking.rs) and prints their
# tables. SQLite always (a temporary file); PostgreSQL too when it answers at BENCH_POSTGRES
# (an admin URL; default postgres://postgres@127.0.0.1:5432/postgres; set it empty to skip).
# Every BENCH_* variable the programs read passes through (see `--help` of each).
#
#   bench/run.sh                      # both benchmarks, both databases
#   BENCH_REQUESTS=5000 BENCH_CLIENTS=32 bench/run.sh
#   BENCH_PROFILE=release bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# The server ships built with the `server` profile (opt-level 3, thin LTO); the workspace's
# `release` profile is tuned for the size of the browser bundle (opt-level "z").
profile=${BENCH_PROFILE:-server}
export RUST_LOG=${RUST_LOG:-warn}

pg=${BENCH_POSTGRES-postgres://postgres@127.0.0.1:5432/postgres}
if [ -n "$pg" ]; then
    hostport=$(printf '%s' "$pg" | sed -E 's#^[a-z]+://([^@/]*@)?([^/:?]+)(:([0-9]+))?.*#\2 \4#')
    host=${hostport% *}
    port=${hostport#* }
    if ! timeout 2 bash -c "exec 3<>/dev/tcp/$host/${port:-5432}" 2>/dev/null; then
        echo "PostgreSQL does not answer at $host:${port:-5432}: SQLite only." >&2
        pg=""
    fi
fi
export BENCH_POSTGRES="$pg"

cargo build --quiet -p nova-bench --profile "$profile" --bins
bin="${CARGO_TARGET_DIR:-target}/$profile"

echo "Nova RDV backend benchmarks: $(git rev-parse --short HEAD 2>/dev/null || echo '?'), profile $profile,"
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start, databases: SQLite${pg:+ + PostgreSQL}"
"$bin/slots"
"$bin/booking"
# The Socket.IO fan-out against Node's socket.io (bench/fanout.sh; BENCH_FANOUT=0 skips it).
if [ "${BENCH_FANOUT:-1}" = 1 ]; then
    bench/fanout.sh
fi
