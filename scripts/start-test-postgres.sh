#!/usr/bin/env bash
# Starts a throwaway PostgreSQL (Debian's server) on loopback for the test suites and prints
# its DATABASE_URL. Usage: eval "$(scripts/start-test-postgres.sh)"; stop with `pg_ctl stop`
# via the PG_TEST_STOP command it also exports.
set -euo pipefail
port="${PG_TEST_PORT:-54329}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "PostgreSQL's server is not installed (apt-get install postgresql), and DATABASE_URL is not set" >&2
  exit 1
fi
data=$(mktemp -d /tmp/jobboard-pg.XXXXXX)
# Root cannot run postgres: the server runs as the postgres user there, as the caller elsewhere.
as=()
if [ "$(id -u)" = "0" ]; then
  chown postgres:postgres "$data"
  as=(runuser -u postgres --)
fi
"${as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust --no-sync >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
echo "export PG_TEST_STOP='${as[*]} $bin/pg_ctl -D $data -m fast stop'"
