"""Subtree benchmark: list the descendants of a unit as of a date over a national-size tree.

Run against PostgreSQL (`make bench`, or directly):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_bench .venv/bin/python bench/bench_subtree.py

It (re)builds the synthetic tree with `danvan synth-tree` when it is missing or of another size,
then times, N times each after a warm-up, fully fetched lists of (unit id, code):

- descendants of the root (the whole tree) and of a committee (a few thousand units),
  as of today and as of an earlier date: their unit ids, and their ids with codes (a join);
- selectors.search("chi bo 12"): the first page of 50 and the count of every match;

and prints the median and 95th percentile in milliseconds, and the query plans (EXPLAIN ANALYZE)
showing a range scan on the path index `orgs_version_path`, not a recursion.
"""

import argparse
import datetime
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from danvan.orgs import selectors  # noqa: E402
from danvan.orgs.models import Unit, UnitVersion  # noqa: E402


def ensure_tree(root_code: str, units: int) -> Unit:
    root = Unit.objects.filter(code=root_code).first()
    size = selectors.descendants(root, include_self=True).count() if root else 0
    if size != units:
        print(f"== building the synthetic tree ({units} units, root {root_code})", flush=True)
        call_command("synth-tree", units=units, root_code=root_code, clear=root is not None)
        root = Unit.objects.get(code=root_code)
    # The steady state autovacuum reaches after a bulk load: fresh statistics and visibility map.
    with connection.cursor() as cursor:
        for model in (Unit, UnitVersion, UnitVersion.groups.through):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
    return root


def timed(fetch, runs: int) -> tuple[list[float], int]:
    fetch()  # warm-up: plan cache, buffers
    fetch()
    samples, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = fetch()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, size


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def listing(unit: Unit, day: datetime.date, *fields: str):
    def fetch() -> int:
        return len(list(selectors.descendants(unit, day).values_list(*fields)))

    return fetch


def search_page(query: str):
    def fetch() -> int:
        return len(list(selectors.search(query)[:50]))

    return fetch


def search_count(query: str):
    def fetch() -> int:
        return selectors.search(query).count()

    return fetch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=250_000)
    parser.add_argument("--root-code", default="SYN")
    parser.add_argument("--committee", default="SYN-01", help="a mid-level unit")
    parser.add_argument("--earlier", default="2010-01-01", help="the earlier date (YYYY-MM-DD)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--query", default="chi bo 12")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")

    root = ensure_tree(args.root_code, args.units)
    committee = Unit.objects.get(code=args.committee)
    today, earlier = selectors.today(), datetime.date.fromisoformat(args.earlier)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(
        f"== {timezone.localtime():%Y-%m-%d %H:%M %Z} · PostgreSQL {server} · {os.cpu_count()} CPU · "
        f"Python {platform.python_version()} · {args.runs} runs after 2 warm-ups"
    )
    cases = []
    for unit, kind in ((root, "root"), (committee, "committee")):
        for day in (today, earlier):
            when = "today" if day == today else f"as of {day}"
            cases.append((f"descendants of {kind} {unit.code}, {when}: ids", listing(unit, day, "unit_id")))
            cases.append(
                (
                    f"descendants of {kind} {unit.code}, {when}: ids, codes",
                    listing(unit, day, "unit_id", "unit__code"),
                )
            )
    cases.append((f'search "{args.query}": first 50', search_page(args.query)))
    cases.append((f'search "{args.query}": count of matches', search_count(args.query)))
    print(f"{'case':<66} {'rows':>8} {'median ms':>10} {'p95 ms':>8}")
    for label, fetch in cases:
        samples, size = timed(fetch, args.runs)
        print(f"{label:<66} {size:>8} {statistics.median(samples):>10.1f} {p95(samples):>8.1f}", flush=True)

    plans = [
        (f"committee {committee.code}, today", selectors.descendants(committee, today)),
        (f"committee {committee.code}, as of {earlier}", selectors.descendants(committee, earlier)),
        (f"root {root.code}, today", selectors.descendants(root, today)),
    ]
    for label, qs in plans:
        print(f"\n== EXPLAIN (ANALYZE, BUFFERS): descendants of {label}")
        print(qs.values_list("unit_id", "unit__code").explain(analyze=True, buffers=True))
    print(f'\n== EXPLAIN (ANALYZE, BUFFERS): search "{args.query}", first 50')
    print(selectors.search(args.query)[:50].explain(analyze=True, buffers=True))


if __name__ == "__main__":
    main()
