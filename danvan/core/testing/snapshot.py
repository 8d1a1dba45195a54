"""Snapshots of the SQLite test database, for fixtures that load much data once and must hand it back
unchanged: the journeys load the demo once and put it back between screen sizes.

`take()` copies the whole test database into a private in-memory one with SQLite's backup API (tens
of milliseconds for the demo); `restore(snapshot)` copies it back, rows, sequences and all. Only the
SQLite backend can (PostgreSQL has no cheap copy of a database a connection is using): `take()` answers
None there, and the caller does what it did before (flush, load again).

Call them outside any transaction and with no other connection working on the database (the live
server stopped).
"""

from __future__ import annotations

import sqlite3

from django.db import connection


def take() -> sqlite3.Connection | None:
    """A copy of the test database as it is now, or None when the database is not SQLite."""
    if connection.vendor != "sqlite":
        return None
    # Inside a transaction the database is locked for writing (transactions begin IMMEDIATE), and SQLite's
    # backup would wait for that lock forever: say so instead.
    assert not connection.in_atomic_block, "take a snapshot outside any transaction"
    connection.ensure_connection()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    return copy


def restore(snapshot: sqlite3.Connection) -> None:
    """Put the test database back as it was when `snapshot` was taken."""
    assert not connection.in_atomic_block, "restore a snapshot outside any transaction"
    connection.ensure_connection()
    snapshot.backup(connection.connection)
