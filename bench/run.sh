#!/usr/bin/env bash
# `make bench`: the subtree, roll-up (PostgreSQL) and document-parser benchmarks (see docs/PERFORMANCE.md).
# Uses DATABASE_URL, by default the database danvan_bench on the local server (created when missing).
# Extra arguments go to bench/bench_subtree.py (e.g. `bash bench/run.sh --runs 50`).
# The roll-up benchmark (bench/rollup.py) creates and drops its own database, danvan_bench_rollup, on the
# same server; ROLLUP_UNITS sets its tree size (default 50000), ROLLUP_UNITS=0 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/danvan_bench}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "Cần PostgreSQL: đặt DATABASE_URL=postgres://…" >&2; exit 2 ;;
esac
server="${DATABASE_URL%/*}"
db="${DATABASE_URL##*/}"
db="${db%%\?*}"
if ! psql "$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  psql "$server/postgres" -qc "CREATE DATABASE \"$db\""
fi
.venv/bin/danvan migrate --noinput -v0
mkdir -p bench/results
stamp="$(date +%Y%m%d-%H%M%S)"
.venv/bin/python bench/bench_subtree.py "$@" | tee "bench/results/subtree-$stamp.txt"
rollup_units="${ROLLUP_UNITS:-50000}"
if [ "$rollup_units" != "0" ]; then
  echo "== roll-up benchmark: $rollup_units units (database danvan_bench_rollup, created and dropped)"
  .venv/bin/python bench/rollup.py --units "$rollup_units" --json --database-url "$server/danvan_bench_rollup" \
    | tee "bench/results/rollup-$rollup_units-$stamp.json"
fi
echo "== document parser benchmark (500 KB texts)"
.venv/bin/python bench/parse_document.py --json | tee "bench/results/parse-document-$stamp.json"
