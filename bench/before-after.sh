#!/usr/bin/env bash
# Runs one benchmark on an earlier commit and on this checkout, back to back in one run, so a
# change is measured against its baseline on the same machine in the same state.
#
#   bench/before-after.sh <base-commit> ingest|tick|pages [bench arguments…]
#
# The base commit is checked out into a temporary worktree with this checkout's node_modules
# (hard links) and this checkout's bench/ folder, so both sides run the same measuring code.
# DATABASE_URL must point at a local PostgreSQL server, as for each bench.
set -euo pipefail
cd "$(dirname "$0")/.."
base="$1"; bench="$2"; shift 2
before="$(mktemp -d /tmp/jobboard-before.XXXXXX)"
trap 'git worktree remove --force "$before" >/dev/null 2>&1 || true' EXIT
git worktree add --detach "$before" "$base" >/dev/null
cp -al node_modules "$before/node_modules"
rm -rf "$before/bench" && cp -r bench "$before/bench"
# bench/ingest runs the production build in .next; bench/pages builds its own; bench/tick needs none.
run() { { [ "$bench" != "ingest" ] || npm run build >/dev/null; } && node_modules/.bin/tsx --conditions=react-server "bench/$bench/run.ts" "$@"; }
echo "### before: $(git log -1 --format='%h %s' "$base")"
( cd "$before" && run "$@" )
echo
echo "### after: $(git log -1 --format='%h %s' HEAD)$(git diff --quiet HEAD || echo ' (with uncommitted changes)')"
run "$@"
