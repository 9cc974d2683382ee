#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 for the test suite, installing and
# starting Debian's when none does, and print an admin connection URL on stdout (messages go to
# stderr). Safe to run repeatedly; fast when a server is already up.
set -euo pipefail

URL=${NOVA_TEST_POSTGRES:-postgres://postgres:postgres@127.0.0.1:5432/postgres}
say() { echo "ensure-postgres: $*" >&2; }

if ! command -v pg_isready >/dev/null || ! command -v psql >/dev/null; then
    say "installing Debian package postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y postgresql >&2
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "${version}" ]; then
        version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
        say "creating cluster ${version}/main"
        pg_createcluster "${version}" main >&2
    fi
    say "starting PostgreSQL ${version}/main"
    pg_ctlcluster --skip-systemctl-redirect "${version}" main start >&2 || true
    for _ in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 -p 5432 && break
        sleep 1
    done
    pg_isready -q -h 127.0.0.1 -p 5432 || { say "PostgreSQL did not start"; exit 1; }
fi

# A fresh Debian cluster asks for a password over TCP; give the postgres role the one in URL.
if ! psql "${URL}" -Atqc 'SELECT 1' >/dev/null 2>&1; then
    say "setting the postgres role's password for TCP connections"
    su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >&2
    psql "${URL}" -Atqc 'SELECT 1' >/dev/null
fi
echo "${URL}"
