#!/usr/bin/env bash
# Starts a throwaway PostgreSQL (Debian's server) on loopback for the test suites and prints
# its DATABASE_URL. Usage: eval "$(scripts/start-test-postgres.sh)"; stop with `pg_ctl stop`
# via the PG_TEST_STOP command it also exports.
set -euo pipefail
port="${PG_TEST_PORT:-54329}"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
data=$(mktemp -d /tmp/jobboard-pg.XXXXXX)
chown postgres:postgres "$data"
runuser -u postgres -- "$bin/initdb" -D "$data" -U postgres --auth=trust --no-sync >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
echo "export PG_TEST_STOP='runuser -u postgres -- $bin/pg_ctl -D $data -m fast stop'"
