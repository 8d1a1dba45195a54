"""One run at a time across the installation's processes (e.g. `danvan run-daily` from cron on two
app servers, or a run that outlasts the next one).

On PostgreSQL a session advisory lock (held by the default connection; released when it closes, so a
killed run leaves no lock behind). On SQLite every process is on the same machine: an exclusive `flock`
on a file beside the database (DATA_DIR/<name>.lock), released by the system when the process ends.
"""

import contextlib
import fcntl
import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection


class Busy(Exception):
    """Another process holds the lock."""


def _key(name: str) -> int:
    # Per database: two installations (or two test databases) on one server do not block each other.
    scoped = f"danvan:{connection.settings_dict['NAME']}:{name}"
    return int.from_bytes(hashlib.sha256(scoped.encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def exclusive(name: str, *, wait: bool = False, poll: float = 1.0) -> Iterator[None]:
    """Hold the lock `name` for the block; `Busy` when another process holds it (unless `wait`)."""
    if name in _held:  # held in this process already (PostgreSQL's advisory locks nest in one session)
        raise Busy(name)
    _held.add(name)
    try:
        with _across_processes(name, wait=wait, poll=poll):
            yield
    finally:
        _held.discard(name)


_held: set[str] = set()


@contextlib.contextmanager
def _across_processes(name: str, *, wait: bool, poll: float) -> Iterator[None]:
    if connection.vendor == "postgresql":
        key = _key(name)
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
                if cursor.fetchone()[0]:
                    break
                if not wait:
                    raise Busy(name)
                time.sleep(poll)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    path = Path(settings.DATA_DIR) / f"{name}.lock"
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(name) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
