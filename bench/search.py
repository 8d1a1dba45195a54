"""Search benchmark: the one search over N searchable records against ILIKE scans of the same data.

    .venv/bin/python bench/search.py --records 1000000 --json [--database-url URL] [--keep]

Default database: a fresh PostgreSQL database `danvan_bench_search` on the local server, created (dropped
first if a previous run left it), migrated here and dropped at the end (`--keep` keeps it).
`--database-url sqlite:///path` runs on a new SQLite file (FTS5).

Steps (progress on stderr, one JSON line on stdout with --json):

1. A synthetic tree (`danvan synth-tree`, --units units) and a reader holding every role at its root,
   so every query goes through the policy's scoping as a provincial official's would.
2. N records of the kinds the modules register (documents, cases, activities … in turn), each placed at a
   random unit, with realistic Vietnamese text: titles and texts are runs of words drawn from a real party
   document (danvan/demo/fixtures/seed_004.txt), one record in five with a document number
   ("84-CV/ĐU"). Their token streams are those of `search.tokens.stream` (checked on a sample), loaded with
   COPY (PostgreSQL) or executemany (SQLite); the full-text index is built after the load, as a restore would.
3. `p50_ms`, `p95_ms`: --queries searches through `search.selectors.search` (the page's and the API's
   code, first page of 20), queries of 1–4 consecutive words taken from random records, half typed
   without accents, some document numbers; after a warm-up.
4. `scan_p50_ms`, `ratio_vs_scan`: the same queries, the first --scans of them, as the substring search
   they replace: every word `ILIKE '%word%'` on title or text, all matches fetched.
   `ratio_vs_scan` = scan median / search median.
"""

import argparse
import io
import itertools
import math
import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from throwaway import run_on

PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/danvan_bench_search"
CORPUS = Path(__file__).resolve().parent.parent / "danvan" / "demo" / "fixtures" / "seed_004.txt"
ROOT = "SYN"
NUMBER_TYPES = ["CV", "KH", "BC", "HD", "QĐ", "NQ", "TB", "CTr"]
ISSUERS = ["ĐU", "ĐUK", "BDV", "UBND", "MTTQ", "TU", "HU"]


def log(message: str) -> None:
    print(f"[search-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# ---------------------------------------------------------------- the records


class Corpus:
    """Words of a real document, and runs of them: the text of the synthetic records."""

    def __init__(self, rng: random.Random):
        text = CORPUS.read_text(encoding="utf-8")
        self.words = re.findall(r"[^\W_]+(?:[-/][^\W_]+)*", text)
        self.rng = rng

    def run(self, low: int, high: int) -> list[str]:
        size = self.rng.randint(low, high)
        start = self.rng.randrange(0, len(self.words) - size)
        return self.words[start : start + size]

    def number(self) -> str:
        return f"{self.rng.randint(1, 999)}-{self.rng.choice(NUMBER_TYPES)}/{self.rng.choice(ISSUERS)}"


class Streams:
    """`tokens.stream`, with each distinct word's tokens worked out once (the corpus has a few thousand)."""

    def __init__(self):
        from danvan.search import tokens

        self.tokens = tokens
        self.cache: dict[str, list] = {}

    def __call__(self, text: str, limit: int) -> str:
        folded: list[str] = []
        exact: dict[str, None] = {}
        for raw in text.split():
            found = self.cache.get(raw)
            if found is None:
                found = self.cache[raw] = self.tokens.words(raw)
            for word in found:
                if len(folded) >= limit:
                    break
                folded.append(word.folded)
                if word.exact:
                    exact[word.exact] = None
        pairs = dict.fromkeys(self.tokens.pair(a, b) for a, b in itertools.pairwise(folded))
        return " ".join(folded + list(exact) + list(pairs))


def build_records(count: int, paths: list[str], kinds: list, rng: random.Random):
    """Yield (row tuple, title, text) for `count` records, in the column order of `COLUMNS`."""
    from django.utils import timezone

    from danvan.search import services, tokens

    corpus = Corpus(rng)
    stream = Streams()
    now = timezone.now().isoformat()
    for number in range(1, count + 1):
        kind = kinds[number % len(kinds)]
        title_words = corpus.run(6, 14)
        if number % 5 == 0:
            title_words = [corpus.number(), *title_words]
        title = " ".join(title_words)
        text = " ".join(" ".join(corpus.run(12, 30)) for _ in range(rng.randint(2, 3)))
        context = ""
        row = (
            kind.key,
            number,
            kind.perm,
            rng.choice(paths),
            title[:500],
            context,
            text[: services.TEXT_KEPT],
            f"/bench/{kind.key}/{number}/",
            stream(title, tokens.MAX_TITLE_WORDS),
            stream(f"{context}\n{text}", tokens.MAX_BODY_WORDS),
            now,
        )
        yield row, title, text


COLUMNS = (
    "kind",
    "object_id",
    "perm",
    "unit_path",
    "title",
    "context",
    "text",
    "url",
    "title_tokens",
    "body_tokens",
    "updated_at",
)


def load(count: int, paths: list[str], rng: random.Random) -> float:
    """Insert the records, the full-text index built after; returns the seconds it took."""
    from django.db import connection

    from danvan.search import registry, tokens

    kinds = registry.kinds()
    started = time.perf_counter()
    sample_checked = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The full-text indexes as the migrations made them, dropped for the load and made again after.
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_entry' "
                "AND indexname LIKE 'search_entry_vector%%'"
            )
            fulltext = cursor.fetchall()
            for name, _definition in fulltext:
                cursor.execute(f"DROP INDEX {name}")
            raw = cursor.connection
            with raw.cursor() as pg, pg.copy(f"COPY search_entry ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row, title, text in build_records(count, paths, kinds, rng):
                    if sample_checked < 200 and row[1] % 997 == 0:
                        assert row[8] == tokens.stream(title, tokens.MAX_TITLE_WORDS)
                        assert row[9] == tokens.stream(f"\n{text}", tokens.MAX_BODY_WORDS)
                        sample_checked += 1
                    copy.write_row(row)
                    if row[1] % 100_000 == 0:
                        log(f"{row[1]:,} records written")
            log(f"building the GIN indexes ({len(fulltext)})")
            for _name, definition in fulltext:
                cursor.execute(definition)
            cursor.execute("VACUUM (ANALYZE) search_entry")
        else:
            placeholders = ", ".join(["%s"] * len(COLUMNS))
            batch: list[tuple] = []
            for row, _title, _text in build_records(count, paths, kinds, rng):
                batch.append(row)
                if len(batch) >= 5000:
                    cursor.executemany(
                        f"INSERT INTO search_entry ({', '.join(COLUMNS)}) VALUES ({placeholders})", batch
                    )
                    batch = []
            if batch:
                cursor.executemany(
                    f"INSERT INTO search_entry ({', '.join(COLUMNS)}) VALUES ({placeholders})", batch
                )
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def queries(count: int, rng: random.Random) -> list[str]:
    """1–4 consecutive words of a record's text; half without accents; one in ten a document number."""
    from danvan.core.text import search_key

    corpus = Corpus(rng)
    found: list[str] = []
    while len(found) < count:
        if len(found) % 10 == 9:
            found.append(corpus.number())
            continue
        words = [word for word in corpus.run(1, 4) if re.search(r"[^\W\d_]", word)]
        if not words:
            continue
        query = " ".join(words)
        found.append(search_key(query) if len(found) % 2 else query)
    return found


def scan(query: str) -> int:
    """The substring search the index replaces: every word ILIKE on title or text, every match fetched."""
    from django.db import connection

    words = query.split()
    condition = " AND ".join(["(title ILIKE %s OR text ILIKE %s)"] * len(words))
    params: list[str] = []
    for word in words:
        params += [f"%{word}%", f"%{word}%"]
    like = "LIKE" if connection.vendor == "sqlite" else "ILIKE"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM search_entry WHERE {condition.replace('ILIKE', like)}", params)
        return len(cursor.fetchall())


def run(args) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from danvan.accounts.models import Role, RoleAssignment, User
    from danvan.orgs.models import Unit
    from danvan.search import selectors
    from danvan.search.models import Entry

    rng = random.Random(args.seed)
    load_s = None
    if args.reuse and Entry.objects.filter(url__startswith="/bench/").count() == args.records:
        log(f"reusing the {args.records:,} records of a kept database")
        reader = User.objects.get(username="bench_reader")
    else:
        log("migrating")
        call_command("migrate", verbosity=0)
        log(f"building the synthetic tree ({args.units} units)")
        call_command("synth-tree", units=args.units, root_code=ROOT, seed=args.seed, stdout=io.StringIO())
        root = Unit.objects.get(code=ROOT)
        paths = list(Unit.objects.values_list("path", flat=True))
        reader = User.objects.create_user(username="bench_reader", password="bench-reader-2026")
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=reader, unit=root, role=role) for role in Role.values]
        )
        log(f"loading {args.records:,} records")
        load_s = load(args.records, paths, rng)
        log(f"loaded in {load_s:.0f} s")

    asked = queries(args.queries, random.Random(args.seed + 1))  # the same, loaded now or reused
    for query in asked[:10]:  # warm-up: plans, buffers
        selectors.search(reader, query)
    samples, results = [], 0
    for query in asked:
        reader = User.objects.get(pk=reader.pk)  # a new request: the policy's cache starts empty
        started = time.perf_counter()
        found = selectors.search(reader, query)
        samples.append((time.perf_counter() - started) * 1000)
        results += bool(found.results)
    # The plan of the candidates' statement of a search: the full-text indexes, never a scan of the table.
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        selectors.search(reader, asked[0])
    plans = []
    with connection.cursor() as cursor:
        for statement in captured.captured_queries:
            if "search_entry" in statement["sql"] and connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN {statement['sql']}")
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    seq_scan = any("Seq Scan on search_entry" in plan for plan in plans)
    scans = []
    for query in asked[: args.scans]:
        started = time.perf_counter()
        scan(query)
        scans.append((time.perf_counter() - started) * 1000)
    p50 = statistics.median(samples)
    scan_p50 = statistics.median(scans)
    same = [samples[i] for i in range(len(scans))]
    return {
        "records": args.records,
        "engine": connection.vendor,
        "p50_ms": round(p50, 2),
        "p95_ms": round(p95(samples), 2),
        "queries": len(samples),
        "queries_with_results": results,
        "scan_p50_ms": round(scan_p50, 1),
        "scans": len(scans),
        "ratio_vs_scan": round(scan_p50 / statistics.median(same), 1),
        "load_s": round(load_s, 1) if load_s is not None else None,
        "plan_seq_scan": seq_scan if plans else None,
        "units": args.units,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="print one JSON line on stdout")
    parser.add_argument("--database-url", default=PG_DEFAULT)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the queries on a kept database holding --records (implies --keep)",
    )
    parser.add_argument("--units", type=int, default=5000, help="units of the synthetic tree")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--scans", type=int, default=20, help="queries also run as ILIKE scans")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    run_on(args, run, width=22)


if __name__ == "__main__":
    main()
