"""Reads of the organisation registry: the tree as of a date, subtrees, search, history.

Every query here is a single indexed lookup whatever the depth of the tree: subtrees are a
range scan on the materialised path of the versions in force on the date.
"""

import datetime

from django.db.models import Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core.paths import path_ids, path_upper_bound
from danvan.core.text import search_terms

from .models import RestructuringEvent, Unit, UnitLink, UnitVersion


def today() -> datetime.date:
    return timezone.localdate()


def unit_by_code(code: str) -> Unit | None:
    """The unit with this code, ignoring case ("stp" finds "STP"); None when there is none.

    Codes are unique whatever their case (see services._validate_new), so at most one matches.
    Served by the unique index on code, then by the index on UPPER(code).
    """
    code = (code or "").strip()
    if not code or "\x00" in code:  # PostgreSQL cannot compare a string holding NUL: no unit has it
        return None
    return (
        Unit.objects.filter(code=code).first()
        or Unit.objects.annotate(code_upper=Upper("code")).filter(code_upper=code.upper()).first()
    )


def units_for(user, perm: Perm = Perm.UNIT_VIEW) -> QuerySet[Unit]:
    """The units `user` holds `perm` over: where a unit named in a page's or an endpoint's address is
    looked up (`accounts.permissions.obtain`), so that one outside the scope answers like no unit."""
    return policy.scope(user, perm, Unit.objects.all(), field="path")


def versions_on(day: datetime.date | None = None) -> QuerySet[UnitVersion]:
    """The versions in force on `day` (today by default): one per unit that exists then."""
    day = day or today()
    return UnitVersion.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )


def version_of(unit: Unit, day: datetime.date | None = None) -> UnitVersion | None:
    return versions_on(day).filter(unit=unit).select_related("unit", "unit_type", "parent").first()


def version_on(unit: Unit, day: datetime.date) -> UnitVersion | None:
    """The version of `unit` in force on `day` (with its type and parent); None when it does not exist then."""
    return (
        unit.versions.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("unit_type", "parent")
        .first()
    )


def latest_version(unit: Unit) -> UnitVersion:
    """The unit's last version (every unit has one from its creation on)."""
    return unit.versions.select_related("unit_type", "parent").latest("valid_from")


def in_subtree(qs: QuerySet, path: str, field: str = "path") -> QuerySet:
    """Filter `qs` to rows whose `field` lies in the subtree rooted at `path` (inclusive)."""
    return qs.filter(**{f"{field}__gte": path, f"{field}__lt": path_upper_bound(path)})


def descendants(
    unit: Unit, day: datetime.date | None = None, *, include_self: bool = False
) -> QuerySet[UnitVersion]:
    """All units under `unit` as the tree stood on `day`, as their versions of that day."""
    day = day or today()
    own = versions_on(day).filter(unit=unit).values_list("path", flat=True).first()
    if own is None:
        return UnitVersion.objects.none()
    qs = in_subtree(versions_on(day), own)
    if not include_self:
        qs = qs.exclude(unit=unit)
    return qs


def children(unit: Unit | None, day: datetime.date | None = None) -> QuerySet[UnitVersion]:
    """Units directly under `unit` (roots when None) on `day`, in Vietnamese alphabetical order."""
    qs = versions_on(day).filter(parent=unit) if unit else versions_on(day).filter(parent__isnull=True)
    return qs.select_related("unit", "unit_type").order_by("sort_name")


def with_child_counts(versions, day: datetime.date | None = None) -> list[UnitVersion]:
    """Annotate each version with `child_count` on `day`, in one query for the whole list."""
    versions = list(versions)
    counts: dict[int, int] = {}
    parent_ids = [v.unit_id for v in versions]
    for parent_id in versions_on(day).filter(parent_id__in=parent_ids).values_list("parent_id", flat=True):
        counts[parent_id] = counts.get(parent_id, 0) + 1
    for version in versions:
        version.child_count = counts.get(version.unit_id, 0)
    return versions


def ancestors(version: UnitVersion, day: datetime.date | None = None) -> list[UnitVersion]:
    """The chain from the root down to (not including) the unit, as of `day`."""
    ids = path_ids(version.path)[:-1]
    found = {
        v.unit_id: v
        for v in versions_on(day or version.valid_from).filter(unit_id__in=ids).select_related("unit")
    }
    return [found[i] for i in ids if i in found]


def search(
    query: str, day: datetime.date | None = None, *, within: QuerySet | None = None
) -> QuerySet[UnitVersion]:
    """Units whose name, short name or code contain every word of `query`, ignoring diacritics and case.

    "so tu phap" finds "Sở Tư pháp"; "dang uy khoi" finds "Đảng ủy Khối".
    """
    qs = within if within is not None else versions_on(day)
    for term in search_terms(query):
        qs = qs.filter(search_name__contains=term)
    return qs.select_related("unit", "unit_type", "parent").order_by("depth", "sort_name")


def history(unit: Unit) -> dict:
    """Everything that happened to a unit, for its timeline: versions, events, links both ways."""
    return {
        "versions": list(unit.versions.select_related("unit_type", "parent").prefetch_related("groups")),
        "events": list(RestructuringEvent.objects.filter(unit=unit).select_related("recorded_by")),
        "predecessors": list(UnitLink.objects.filter(successor=unit).select_related("predecessor")),
        "successors": list(UnitLink.objects.filter(predecessor=unit).select_related("successor")),
    }


def successors_on(unit: Unit, day: datetime.date) -> list[Unit]:
    """The units that stand for `unit` on `day`, following merges and splits forward."""
    frontier, result, seen = [unit], [], set()
    while frontier:
        current = frontier.pop()
        if current.id in seen:
            continue
        seen.add(current.id)
        if versions_on(day).filter(unit=current).exists():
            result.append(current)
            continue
        links = UnitLink.objects.filter(predecessor=current, effective_on__lte=day).select_related(
            "successor"
        )
        frontier.extend(link.successor for link in links)
    return result
