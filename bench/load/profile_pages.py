"""Where a page's time goes: queries and milliseconds per page of the load benchmark, one request at a time.

Run inside the application against a database with the demo (e.g. the load benchmark's own stack, kept up
with `bench/load/run --hold`, or any database after `danvan demo`):

    .venv/bin/danvan shell -c "exec(open('bench/load/profile_pages.py').read())"

Environment: PROFILE_PAGES (names separated by commas, default all), PROFILE_RUNS (default 5),
PROFILE_TOP (functions shown per page with cProfile, default 0: none). Prints per page and role: median ms,
queries, ms in SQL; then, with PROFILE_TOP, the functions with the most cumulative time.
"""

import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

sys.path.insert(0, str(Path("bench/load").resolve()))
from pages import gather

wanted = {name for name in os.environ.get("PROFILE_PAGES", "").split(",") if name}
runs = int(os.environ.get("PROFILE_RUNS", "5"))
top = int(os.environ.get("PROFILE_TOP", "0"))
rows = []
for account in gather()["accounts"]:
    client = Client(SERVER_NAME="localhost")
    client.force_login(get_user_model().objects.get(username=account["username"]))
    seen = set()
    for name, url in account["pages"]:
        if (wanted and name not in wanted) or name in seen:
            continue
        seen.add(name)
        client.get(url, secure=True)  # warm: caches, templates
        times, queries, sql = [], 0, 0.0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                answer = client.get(url, secure=True)
                times.append((time.perf_counter() - started) * 1000)
            queries = len(captured.captured_queries)
            sql = sum(float(query["time"]) for query in captured.captured_queries) * 1000
        rows.append((statistics.median(times), queries, sql, account["role"], name, answer.status_code, url))
        if top:
            profile = cProfile.Profile()
            profile.enable()
            client.get(url, secure=True)
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(top)
            print(f"== {account['role']} {name} {url}\n{out.getvalue()}")
print(f"{'ms':>7} {'queries':>7} {'sql ms':>7}  role / page")
for median, queries, sql, role, name, status, url in sorted(rows, reverse=True):
    print(f"{median:7.1f} {queries:7d} {sql:7.1f}  {role} / {name} ({status}) {url}")
