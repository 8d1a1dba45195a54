"""A benchmark's own database, made fresh and dropped after: a new SQLite file or a PostgreSQL database on the
local server (dropped first if an earlier run left it). Shared by the benchmarks that load data of their own (rollup, search, import_units, import_values)."""

import contextlib
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def _pg_server_and_name(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres", query="")), parts.path.lstrip("/")


def create_database(url: str) -> None:
    if url.startswith("sqlite"):
        import dj_database_url

        path = Path(dj_database_url.parse(url)["NAME"])
        if path.exists():
            sys.exit(f"{path} exists: the benchmark needs a new SQLite file (delete it or choose another).")
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    server, name = _pg_server_and_name(url)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    from django.db import connections

    connections.close_all()
    if url.startswith("sqlite"):
        import dj_database_url

        path = Path(dj_database_url.parse(url)["NAME"])
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{path}{suffix}").unlink()
        return
    import psycopg

    server, name = _pg_server_and_name(url)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def run_on(args, run, *, width: int = 24) -> None:
    """Run `run(args)` with Django set up on `args.database_url`: a fresh database, unless `args.reuse` times
    again on one kept before; dropped afterwards unless `args.keep`. Print the result, one JSON line with
    `args.json`, else one "key: value" line each."""
    import os

    url = args.database_url
    if getattr(args, "reuse", False):
        args.keep = True
    else:
        create_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    import django

    django.setup()
    try:
        result = run(args)
    finally:
        if not getattr(args, "keep", False):
            drop_database(url)
    print_result(result, as_json=args.json, width=width)


def print_result(result: dict, *, as_json: bool, width: int = 24) -> None:
    import json

    if as_json:
        print(json.dumps(result), flush=True)
    else:
        for key, value in result.items():
            print(f"{key:>{width}}: {value}")
