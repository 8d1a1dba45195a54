#!/usr/bin/env bash
# `make bench`: the subtree benchmark on PostgreSQL (see docs/PERFORMANCE.md).
# Uses DATABASE_URL, by default the database danvan_bench on the local server (created when missing).
# Extra arguments go to bench/bench_subtree.py (e.g. `bash bench/run.sh --runs 50`).
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
.venv/bin/python bench/bench_subtree.py "$@" | tee "bench/results/subtree-$(date +%Y%m%d-%H%M%S).txt"
