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
urgency (overdue first, then by deadline); the menu shows each item's count, computed once and kept a
minute per user (`counts`), so that a page costs one cache read for the badges.
"""

import contextlib
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

LIMIT = 20  # items per source on the home page; the rest are counted, with a link to the full list
SOON_DAYS = 14  # "due soon", for the sources that have no rule of their own: within two weeks
COUNTS_SECONDS = 60  # how long the menu's counts are kept for a user
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
    """Each source's items for `user` (sources with nothing included, with a total of 0)."""
    found_ = []
    for source in sources():
        result = source.collect(user, today, limit)
        found_.append(Section(source, result.items, result.total))
    remember_counts(user, today, found_)
    return found_


def merged(parts: list[Section]) -> list[WorkItem]:
    """The items of every section, the most urgent first (overdue first, then by deadline)."""
    return sorted((item for part in parts for item in part.items), key=urgency)


def _counts_key(user, today: datetime.date) -> str:
    # date_joined tells apart two users that had the same id (a test database rolled back).
    joined = user.date_joined.timestamp() if getattr(user, "date_joined", None) else 0
    return f"worklist:counts:{user.pk}:{joined}:{today.isoformat()}"


def remember_counts(user, today: datetime.date, parts: list[Section]) -> dict[str, int]:
    totals: dict[str, int] = {HOME: sum(part.total for part in parts)}
    for part in parts:
        totals[part.source.nav] = totals.get(part.source.nav, 0) + part.total
    cache.set(_counts_key(user, today), totals, COUNTS_SECONDS)
    return totals


def counts(user, today: datetime.date) -> dict[str, int]:
    """Menu item (URL name) → how many items of work it stands for; kept a minute per user."""
    kept = cache.get(_counts_key(user, today))
    if kept is not None:
        return kept
    parts = []
    for source in sources():
        # Counting needs no line: a limit of 0 reads one row and counts only when there is one.
        result = source.collect(user, today, 0)
        parts.append(Section(source, [], result.total))
    return remember_counts(user, today, parts)


def forget_counts(user, today: datetime.date) -> None:
    """Drop the kept counts (after the user's work changed, so the menu shows it at once)."""
    cache.delete(_counts_key(user, today))
