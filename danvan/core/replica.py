"""Reads a read replica may serve: dashboards and exports, at national scale (docs/PERFORMANCE.md,
"Scale past one machine").

With `DATABASE_REPLICA_URL` set, settings add the database alias `replica` (a PostgreSQL streaming replica
of the primary) and `ReplicaRouter`. Code that only reads, and may show data a moment old, wraps its reads in
`reading()`; every other read, and every write, goes to the primary. Inside a transaction on the primary the
reads stay there too, so a unit of work always reads what it wrote. Without a replica `reading()` changes
nothing: the embedded default and a one-machine installation run as before.

What may lag: a replica applies the primary's changes within milliseconds on a local network, seconds under
heavy load. A dashboard or an export a second old is fine; a page that shows what its user has just done
(a saved value, a submitted report, a case's step) never reads through `reading()`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_reading: ContextVar[bool] = ContextVar("danvan_replica_reading", default=False)


def configured() -> bool:
    """Is a read replica configured (`DATABASE_REPLICA_URL`)?"""
    return REPLICA in settings.DATABASES


def active() -> bool:
    """Are we inside `reading()`? (Whether a replica then serves depends on `configured()`.)"""
    return _reading.get()


@contextmanager
def reading() -> Iterator[None]:
    """Reads in this block may be served by the replica."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    """Reads inside `reading()` go to the replica when there is one and no transaction is open on the
    primary; everything else goes to the primary. The replica is never migrated (it copies the primary)."""

    def db_for_read(self, model, **hints) -> str | None:
        if _reading.get() and configured() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return None

    def db_for_write(self, model, **hints) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        return True  # the same rows on both sides

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return db != REPLICA
