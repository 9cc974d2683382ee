#!/usr/bin/env bash
# Make sure a Redis server answers on 127.0.0.1:6379 for the several-instances tests, installing
# and starting Debian's when none does, and print its URL on stdout (messages go to stderr).
# Safe to run repeatedly; fast when a server is already up.
set -euo pipefail

URL=${NOVA_TEST_REDIS:-redis://127.0.0.1:6379/}
say() { echo "ensure-redis: $*" >&2; }

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    say "installing Debian package redis-server"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y redis-server >&2
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    say "starting redis-server on 127.0.0.1:6379"
    redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no >&2
    for _ in $(seq 1 30); do
        redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break
        sleep 1
    done
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { say "Redis did not start"; exit 1; }
fi
echo "${URL}"
