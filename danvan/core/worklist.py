"""The work home ("Việc cần làm"), as a registry: each app adds what it asks of a user, core knows none.

A source is declared once, in its app's AppConfig.ready():

    worklist.register(
        key="reports",                   # stable, for the page's filter (?kind=reports)
        label=gettext_lazy("Reports"),   # the kind, in Vietnamese
        order=10,
        collect=work_items,              # (user, today, limit) -> Found
        nav="reports:home",              # the menu item whose badge counts these items
        more_url="reports:home",         # the page that lists them all
    )

`collect(user, today, limit)` answers the user's items of that kind that have a deadline, at most `limit`
of them, the most urgent first, and how many there are in all (`Found`); it scopes them by the policy
exactly as the app's own pages do, and never writes. The home page merges the sources and sorts by
urgency (overdue first, then by deadline); the menu shows each item's count (`counts`).

What a user's work looks like changes only when the database does: the sources are read once and kept
per user and day (the home page's lines, per language, and the menu's counts) until the next write.
Every connection carries a watcher (`watch_writes`) that, after a transaction that wrote to any table
but a few that never hold work (sessions, the cache, the audit log, jobs' progress, the search
index), replaces the shared version token: the home page's lines kept under the old token are never
read again. The menu's counts may stay up to `COUNTS_SECONDS` behind a write (as they always could):
else every write anywhere would make every user's next page read all the sources. Nothing is kept
past the day (deadlines are counted from today) nor past `KEPT_SECONDS`, which bounds a write made
outside Django (by hand in psql). With the cache in the database, a write outside a transaction renews
the token when its request ends (`flush_pending`; in a command or task without a request, within
`KEPT_SECONDS`). A page costs one cache round trip for the badges; the home page, one more for its lines.
"""

import contextlib
import datetime
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections
from django.utils.translation import get_language

LIMIT = 20  # items per source on the home page; the rest are counted, with a link to the full list
SOON_DAYS = 14  # "due soon", for the sources that have no rule of their own: within two weeks
KEPT_SECONDS = 600  # how long a user's lines and counts are kept at most, when nothing is written
COUNTS_SECONDS = 60  # how late the menu's counts may be after a write (the home page's lines: never)
VERSION_KEY = "worklist:version"  # the shared token replaced after every write (`watch_writes`)
# Tables that never hold work: writing them leaves everyone's work as it was (reads write sessions and
# the cache; logins write axes' and the audit log; a job's progress is written while it runs).
QUIET_TABLES = re.compile(r"^(django_session|danvan_cache|axes_\w+|audit_auditevent|jobs_job|search_\w+)$")
HOME = "core:home"  # the menu item of the work home: its count is all the user's work


@dataclass(frozen=True)
class WorkItem:
    """One thing a user has to do, by a deadline."""

    title: str  # what it is, in words (no codes)
    unit: str  # the unit's name
    due: datetime.date | None  # None: no deadline (listed after those that have one)
    url: str  # the one place to act
    kind: str  # what kind of work, in words ("Báo cáo bị trả lại")
    state: str = ""  # optional: where it stands, in words

    def days(self, today: datetime.date) -> int | None:
        """Days left (positive), 0 today, days late (negative); None without a deadline."""
        return None if self.due is None else (self.due - today).days


@dataclass(frozen=True)
class Found:
    items: list[WorkItem]  # at most the limit asked, the most urgent first
    total: int  # how many there are in all


def found(items: Iterable[WorkItem], limit: int) -> Found:
    """A Found from every item of a source (when the source has them all in hand): the first `limit`."""
    ordered = sorted(items, key=urgency)
    return Found(ordered[:limit], len(ordered))


def found_in(rows: Any, limit: int, make: Callable[[Any], WorkItem]) -> Found:
    """A Found from an ordered queryset: `limit` + 1 rows read, and a count only when there are more."""
    taken = list(rows[: limit + 1])
    total = len(taken) if len(taken) <= limit else rows.count()
    return Found([make(row) for row in taken[:limit]], total)


def urgency(item: WorkItem) -> tuple:
    """Overdue first (the earliest deadline first), then by deadline, those without one last."""
    return (item.due is None, item.due or datetime.date.max, str(item.kind), item.title)


@dataclass(frozen=True)
class Source:
    key: str
    label: Any  # usually a lazy translation
    order: int
    collect: Callable[[Any, datetime.date, int], Found]
    nav: str  # URL name of the menu item that counts the source's items
    more_url: str  # URL name of the page listing them all


_sources: dict[str, Source] = {}  # by key: registering again (ready() may run twice) replaces


def register(
    *,
    key: str,
    label: Any,
    order: int,
    collect: Callable[[Any, datetime.date, int], Found],
    nav: str,
    more_url: str,
) -> Source:
    """Add a source of work (call from the app's AppConfig.ready())."""
    source = Source(key=key, label=label, order=order, collect=collect, nav=nav, more_url=more_url)
    _sources[key] = source
    return source


@contextlib.contextmanager
def only(*keys: str) -> Iterator[None]:
    """Tests: only these registered sources for the duration (the others are set aside, then restored)."""
    kept = dict(_sources)
    for key in list(_sources):
        if key not in keys:
            del _sources[key]
    try:
        yield
    finally:
        _sources.clear()
        _sources.update(kept)


def sources() -> list[Source]:
    """Every registered source, in order."""
    return sorted(_sources.values(), key=lambda source: (source.order, source.key))


@dataclass
class Section:
    """One source's part of a user's work."""

    source: Source
    items: list[WorkItem] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def sections(user, today: datetime.date, limit: int = LIMIT) -> list[Section]:
    """Each source's items for `user` (sources with nothing included, with a total of 0); kept until the
    next write (see the module's docstring) when `limit` is the home page's."""
    key = f"{_user_key(user, today)}:sections:{get_language()}"
    version, kept = _read(key) if limit == LIMIT else (None, None)
    if kept is not None:
        return [Section(source, *kept[source.key]) for source in sources() if source.key in kept]
    found_ = []
    for source in sources():
        result = source.collect(user, today, limit)
        found_.append(Section(source, result.items, result.total))
    if version is not None:
        _keep(key, version, {part.source.key: (part.items, part.total) for part in found_})
    remember_counts(user, today, found_, version)
    return found_


def merged(parts: list[Section]) -> list[WorkItem]:
    """The items of every section, the most urgent first (overdue first, then by deadline)."""
    return sorted((item for part in parts for item in part.items), key=urgency)


def _user_key(user, today: datetime.date) -> str:
    # date_joined tells apart two users that had the same id (a test database rolled back).
    joined = user.date_joined.timestamp() if getattr(user, "date_joined", None) else 0
    return f"worklist:{user.pk}:{joined}:{today.isoformat()}"


def _counts_key(user, today: datetime.date) -> str:
    return f"{_user_key(user, today)}:counts"


def _read(key: str) -> tuple[str, Any]:
    """The current version token and what `key` holds under it (None when it was kept under another)."""
    version, kept = _read_any(key)
    return version, kept[1] if kept is not None and kept[0] == version else None


def _read_any(key: str) -> tuple[str, tuple | None]:
    """The current version token and what `key` holds, (version, value, stored at), under any token."""
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:  # never written, or evicted: a new token, under which nothing was kept
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, None)
        return version, None
    kept = found.get(key)  # anything else (a value of an older release) counts as nothing kept
    return version, kept if isinstance(kept, tuple) and len(kept) == 3 else None


def _now() -> float:
    return time.time()


def _keep(key: str, version: str, value: Any) -> None:
    cache.set(key, (version, value, _now()), KEPT_SECONDS)


def remember_counts(
    user, today: datetime.date, parts: list[Section], version: str | None = None
) -> dict[str, int]:
    totals: dict[str, int] = {HOME: sum(part.total for part in parts)}
    for part in parts:
        totals[part.source.nav] = totals.get(part.source.nav, 0) + part.total
    if version is None:
        version, kept = _read(_counts_key(user, today))
        if kept == totals:
            return totals
    _keep(_counts_key(user, today), version, totals)
    return totals


def counts(user, today: datetime.date) -> dict[str, int]:
    """Menu item (URL name) → how many items of work it stands for: kept until the next write, and
    after it still up to `COUNTS_SECONDS` (a badge a minute late, not every user's sources read again
    on their next page after each write anywhere)."""
    version, kept = _read_any(_counts_key(user, today))
    if kept is not None and (kept[0] == version or _now() - kept[2] < COUNTS_SECONDS):
        return kept[1]
    parts = []
    for source in sources():
        # Counting needs no line: a limit of 0 reads one row and counts only when there is one.
        result = source.collect(user, today, 0)
        parts.append(Section(source, [], result.total))
    return remember_counts(user, today, parts, version)


def forget_counts(user, today: datetime.date) -> None:
    """Drop the user's kept counts (after their work changed, so that the menu shows it at once)."""
    cache.delete(_counts_key(user, today))


def changed() -> None:
    """Everyone's work may have changed: what is kept under the current token is read no more."""
    # The database cache's table may not be made yet (migrations): nothing is kept then.
    with contextlib.suppress(DatabaseError):
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)


# A statement that writes a table, anywhere in it (a write may follow a WITH); "UPDATE SET" (an upsert's
# second half) and "FOR UPDATE OF" name no table. Temporary tables of the roll-up are written with the rows.
_WRITE = re.compile(
    r'\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO|TRUNCATE(?:\s+TABLE)?)\s+["`]?'
    r"(?!(?:SET|OF|NOWAIT|SKIP)\b)(\w+)",
    re.IGNORECASE,
)


def _writes_work(sql: str) -> bool:
    """Does `sql` write a table that may hold work (not one of `QUIET_TABLES`)?"""
    if not isinstance(sql, str):
        return False
    return any(not QUIET_TABLES.match(table) for table in _WRITE.findall(sql))


_PENDING = "_danvan_work_changed"  # a connection wrote outside a transaction, with the cache in the database


def flush_pending(sender=None, **kwargs) -> None:
    """After a request (`request_finished`): renew the token for the writes made outside a transaction
    while the cache is in the database (a command or a task without a request: within `KEPT_SECONDS`)."""
    pending = [c for c in connections.all(initialized_only=True) if getattr(c, _PENDING, False)]
    for connection in pending:
        setattr(connection, _PENDING, False)
    if pending:
        changed()
        for connection in connections.all(initialized_only=True):  # the cache may have opened one again
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()


def watch_writes(sender=None, connection=None, **kwargs) -> None:
    """Add the watcher to a new database connection (the `connection_created` signal; idempotent)."""
    if connection is not None and _watcher not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watcher)


def _watcher(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if _writes_work(sql):
        connection = context["connection"]
        if not connection.in_atomic_block:
            if isinstance(caches["default"], DjangoDatabaseCache):
                # Not now: on SQLite the statement may still be open (INSERT … RETURNING), and writing the
                # cache in the same connection would fail. After the request (`flush_pending`).
                setattr(connection, _PENDING, True)
            else:
                changed()
            return result
        # In a transaction: after its commit (a rolled back one changed nothing), once; and at once too,
        # for this transaction's own reads, unless the cache is in the database (then the token written
        # now would only be seen with the commit anyway, and each write would cost one more).
        if not isinstance(caches["default"], DjangoDatabaseCache):
            changed()
        here = set(connection.savepoint_ids)  # once per savepoint (one rolled back drops its own)
        if not any(func is changed and sids == here for sids, func, _robust in connection.run_on_commit):
            connection.on_commit(changed)
    return result
