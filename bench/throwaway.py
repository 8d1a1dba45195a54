"""A benchmark's own database, made fresh and dropped after: a new SQLite file or a PostgreSQL database on the
local server (dropped first if an earlier run left it). Shared by bench/rollup.py and bench/search.py."""

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
