"""Unit picker benchmark: how long the first suggestions take over a national-size tree.

Runs on SQLite or PostgreSQL, whichever DATABASE_URL names:

    DATABASE_URL=sqlite:////tmp/bench_picker.sqlite3 .venv/bin/python bench/unit_picker.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_picker .venv/bin/python bench/unit_picker.py

It migrates the database, (re)builds the synthetic tree with `danvan synth-tree` when it is missing or
of another size, then sends the picker's request (GET /orgs/units/pick/?q=…, a signed-in test client:
middleware, permission scope, JSON included) for a few dozen queries — words of names, a phrase, codes,
words apart, nothing typed, nothing found — as a superuser and as a user whose roles cover one
provincial committee, and prints the median and 95th percentile in milliseconds over all the requests,
the slowest query's median, and the query plan of the index lookup.
"""

import argparse
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

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from danvan.accounts.models import Role, RoleAssignment, User  # noqa: E402
from danvan.core.text import search_key  # noqa: E402
from danvan.orgs import selectors  # noqa: E402
from danvan.orgs.models import Unit, UnitPickKey, UnitVersion  # noqa: E402

QUERIES = [
    "chi bo 1", "chi bo 12", "chi bo", "Chi bộ 7", "tu phap", "Sở Tư pháp", "so y te", "y te", "dang uy",
    "dang bo", "to dang 3", "to dang", "benh vien", "truong cao dang", "cong ty", "ha noi", "an giang",
    "ban dan toc", "thanh tra", "hoi nong dan", "kho bac", "bao hiem", "xi nghiep", "phong", "khoa dien",
    "chi bo tu phap", "dang bo y te", "xyzzy", "q", "", "syn-04-019", "SYN-12", "syn-01-002-4",
]  # fmt: skip


def ensure_tree(root_code: str, units: int) -> Unit:
    root = Unit.objects.filter(code=root_code).first()
    size = selectors.descendants(root, include_self=True).count() if root else 0
    if size != units:
        print(f"== building the synthetic tree ({units} units, root {root_code})", flush=True)
        call_command("synth-tree", units=units, root_code=root_code, clear=root is not None)
        root = Unit.objects.get(code=root_code)
    with connection.cursor() as cursor:
        for model in (Unit, UnitVersion, UnitPickKey):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                f"VACUUM (ANALYZE) {table}" if connection.vendor == "postgresql" else f"ANALYZE {table}"
            )
    return root


def person(username: str, unit: Unit | None) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=None, is_superuser=unit is None)
        if unit is not None:
            RoleAssignment.objects.create(user=user, unit=unit, role=Role.BLOC_ADMIN)
    return user


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(user: User, runs: int) -> tuple[list[float], dict[str, float], dict[str, int]]:
    client = Client()
    client.force_login(user)
    url = reverse("orgs:unit_pick")
    samples, medians, found = [], {}, {}
    for query in QUERIES:
        for _ in range(2):  # warm-up
            client.get(url, {"q": query})
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url, {"q": query})
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        found[query] = len(response.json()["results"])
        medians[query] = statistics.median(times)
        samples += times
    return samples, medians, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=250_000)
    parser.add_argument("--root-code", default="SYN")
    parser.add_argument("--scope", default="SYN-01", help="the unit of the scoped user's role")
    parser.add_argument("--runs", type=int, default=10, help="requests per query after 2 warm-ups")
    parser.add_argument("--each", action="store_true", help="also print each query's median")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0, interactive=False)
    ensure_tree(args.root_code, args.units)
    scope = Unit.objects.get(code=args.scope)
    in_scope = selectors.descendants(scope, include_self=True).count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            engine = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        import sqlite3

        engine = f"SQLite {sqlite3.sqlite_version}"
    load = os.getloadavg()[0]
    print(
        f"== {timezone.localtime():%Y-%m-%d %H:%M %Z} · {engine} · {args.units} units · {os.cpu_count()} CPU "
        f"(load {load:.1f}) · Python {platform.python_version()} · {len(QUERIES)} queries × {args.runs} requests"
    )
    print(f"{'user':<44} {'requests':>8} {'median ms':>10} {'p95 ms':>8}  slowest query (median ms)")
    for label, user in (
        ("superuser (the whole tree)", person("bench_picker_root", None)),
        (f"bloc admin of {scope.code} ({in_scope} units)", person("bench_picker_scoped", scope)),
    ):
        samples, medians, found = measure(user, args.runs)
        slowest = max(medians, key=medians.get)
        print(
            f"{label:<44} {len(samples):>8} {statistics.median(samples):>10.1f} {p95(samples):>8.1f}  "
            f"{slowest!r} ({medians[slowest]:.1f}; {found[slowest]} found)",
            flush=True,
        )
        if args.each:
            for query, median in medians.items():
                print(f"    {query!r:<24} {median:>7.1f} ms  {found[query]:>3} found")
    key = search_key("chi bo 1")
    ranged = UnitPickKey.objects.filter(key__gte=key, key__lt=key[:-1] + chr(ord(key[-1]) + 1)).order_by(
        "key", "path"
    )
    print('\n== query plan: the index lookup for "chi bo 1", first 63 keys')
    print(ranged.values_list("unit_id", flat=True)[:63].explain())


if __name__ == "__main__":
    main()
