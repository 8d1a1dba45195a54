"""The permission matrix: every URL of the installation, read by every role, on its own unit and another.

Each module declares, in `danvan/<app>/tests/matrix.py`, a function `register(matrix)` that names
each of its URLs (by URL name, namespaced as `reverse` wants it) with the right a role needs to read
it and how to make a record to read:

    matrix.read("voice:case_detail", perm=Perm.CASE_VIEW, make=lambda world, unit: {"pk": case(unit).pk})
    matrix.listing("voice:case_list", perm=Perm.CASE_VIEW, make=..., marker=...)
    matrix.write_only("voice:case_action", make=..., reason="POST: the case's workflow")
    matrix.exempt("portal:home", "the public portal: no sign-in")

`make(world, unit)` returns the URL's keyword arguments for a record belonging to `unit` (and may
return `Made(kwargs, marker)`: a text only that record shows, which a user of another unit must
never see). The matrix test (`danvan/core/tests/test_permission_matrix.py`) walks Django's URL
resolver: a URL that is neither registered nor exempted fails the suite, so a new page or endpoint
is placed in the matrix the day it is written. Only GET requests are sent: a read never writes.

This module imports no danvan app: the roles, the personas and what each role holds come from the
test that drives it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

#: How an entry is read: a page/endpoint showing one record, a list (its own records only), or a
#: write-only URL (GET is refused to everyone: 405, or 403/404 first for whoever may not act).
READ, LISTING, WRITE_ONLY = "read", "listing", "write-only"
#: What an export may write: the audit event saying who exported what.
EXPORT = frozenset({"audit.AuditEvent"})


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name as `reverse` takes it, its pattern, its keyword arguments."""

    name: str
    pattern: str
    kwargs: tuple[str, ...]
    api: bool  # a DRF view: 401/403 for the anonymous instead of the sign-in page

    @property
    def takes_record(self) -> bool:
        return bool(self.kwargs)


@dataclass(frozen=True)
class Made:
    """What a factory made: the URL's keyword arguments, a text only that record shows, and the query
    string naming it when the URL does not (`?unit=STP`)."""

    kwargs: dict[str, Any]
    marker: str | None = None
    query: dict[str, str] = field(default_factory=dict)


Factory = Callable[[Any, Any], "Made | dict[str, Any]"]


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str
    perm: Any = None  # what a role must hold at the record's unit; a tuple: any of them; None: signed in
    make: Factory | None = None
    root: bool = False  # the right is needed at a root (`AtRoot`): no role at STP holds it
    shared: bool = False  # a record of no unit (a catalogue, a rule): the same record for both units
    foreign: frozenset[int] = frozenset({404})  # what another unit's record answers to a holder of perm
    ok: frozenset[int] = frozenset({200})  # what a holder of perm gets (302: a page that sends elsewhere)
    # What a role lacking `perm` gets on its own unit's record: 403, or 404 when it may not even see the
    # record. With `see` (the right that shows the record), a role holding it gets exactly 403.
    # (A list may also answer 200 and show nothing; `lacking` set on an entry is then exact.)
    see: Any = None
    lacking: frozenset[int] | None = None
    above: bool = True  # also read a record of the unit above (the root): out of reach like another unit's
    # Tables a GET may add rows to, by label: an export records who exported what ("audit.AuditEvent");
    # anything else is a finding to fix in the view, stated in `note`.
    writes: frozenset[str] = frozenset()
    note: str = ""

    def made(self, world: Any, unit: Any) -> Made:
        if self.make is None:
            return Made({})
        result = self.make(world, unit)
        return result if isinstance(result, Made) else Made(dict(result))


@dataclass
class Matrix:
    entries: dict[str, Entry] = field(default_factory=dict)
    exempted: dict[str, str] = field(default_factory=dict)

    def _add(self, entry: Entry) -> None:
        assert entry.name not in self.entries and entry.name not in self.exempted, f"{entry.name} twice"
        self.entries[entry.name] = entry

    def read(self, name: str, *, perm: Any, make: Factory | None = None, **extra: Any) -> None:
        """A page or endpoint showing a record of a unit (or, without `make`, the user's own things)."""
        self._add(Entry(name, READ, perm, make, **extra))

    def listing(self, name: str, *, perm: Any, make: Factory | None = None, **extra: Any) -> None:
        """A list: a holder of `perm` gets 200 and never sees the marker of another unit's record."""
        self._add(Entry(name, LISTING, perm, make, **extra))

    def write_only(
        self, name: str, *, perm: Any = None, make: Factory | None = None, note: str, **extra: Any
    ) -> None:
        """A URL that only takes POST (or PUT/PATCH/DELETE): GET is never answered with the record."""
        self._add(Entry(name, WRITE_ONLY, perm, make, note=note, **extra))

    def exempt(self, name: str, reason: str) -> None:
        """A URL outside the matrix, with the reason (public, sign-in, a file by token …)."""
        assert reason, "an exemption states its reason"
        assert name not in self.entries and name not in self.exempted, f"{name} twice"
        self.exempted[name] = reason


def _is_api(callback: Any) -> bool:
    from rest_framework.views import APIView

    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return isinstance(view, type) and issubclass(view, APIView)


def _walk(patterns: list[Any], prefix: str, namespace: str | None) -> Iterator[Route]:
    for item in patterns:
        if isinstance(item, URLResolver):
            inner = namespace
            if item.namespace:
                inner = f"{namespace}:{item.namespace}" if namespace else item.namespace
            yield from _walk(item.url_patterns, prefix + str(item.pattern), inner)
        elif isinstance(item, URLPattern):
            name = item.name or str(item.pattern)
            full = f"{namespace}:{name}" if namespace and item.name else name
            kwargs = tuple(item.pattern.regex.groupindex)
            yield Route(full, prefix + str(item.pattern), kwargs, _is_api(item.callback))


def routes(urlconf: str | None = None) -> dict[str, Route]:
    """Every named URL of `urlconf` (the project's by default), by the name `reverse` takes."""
    found: dict[str, Route] = {}
    for route in _walk(get_resolver(urlconf).url_patterns, "", None):
        # One name may serve several patterns (DRF's format suffixes): the first one is what reverse gives.
        found.setdefault(route.name, route)
    return found


def unplaced(matrix: Matrix, urlconf: str | None = None) -> tuple[list[str], list[str]]:
    """(URLs neither in the matrix nor exempted, names in the matrix that are no URL any more)."""
    known = routes(urlconf)
    placed = set(matrix.entries) | set(matrix.exempted)
    return sorted(set(known) - placed), sorted(placed - set(known))


def holds(grants: frozenset[Any], perm: Any) -> bool:
    """Does a role granted `grants` hold `perm` (None: nothing needed; a tuple: any of them)?"""
    if perm is None:
        return True
    wanted = perm if isinstance(perm, tuple) else (perm,)
    return any(p in grants for p in wanted)
