"""Reads of the organisation registry: the tree as of a date, subtrees, search, history.

Every query here is a single indexed lookup whatever the depth of the tree: subtrees are a
range scan on the materialised path of the versions in force on the date.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone

from danvan.accounts import policy
from danvan.accounts.actors import Actor
from danvan.accounts.policy import Perm
from danvan.core.paths import path_ids, path_upper_bound
from danvan.core.text import search_key, search_terms

from .models import RestructuringEvent, Unit, UnitLink, UnitPickKey, UnitVersion


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


def units_by_codes(codes: Iterable[str], *, chunk: int = 900) -> dict[str, Unit]:
    """The units with these codes, ignoring case, keyed by the upper-cased code given; codes that
    name no unit are absent. The bulk form of `unit_by_code` (one query per `chunk` codes, on the
    index on UPPER(code), then on the unique index for the rest), for imports of many rows."""
    wanted: dict[str, str] = {}
    for code in codes:
        code = (code or "").strip()
        if code and "\x00" not in code:  # PostgreSQL cannot compare a string holding NUL: no unit has it
            wanted.setdefault(code.upper(), code)
    found: dict[str, Unit] = {}
    uppers = list(wanted)
    for start in range(0, len(uppers), chunk):
        units = Unit.objects.annotate(code_upper=Upper("code")).filter(
            code_upper__in=uppers[start : start + chunk]
        )
        for unit in units.only("id", "code", "path"):
            if unit.code_upper in wanted:
                found[unit.code_upper] = unit
    missing = [wanted[upper] for upper in uppers if upper not in found]
    for start in range(0, len(missing), chunk):
        for exact in Unit.objects.filter(code__in=missing[start : start + chunk]).only("id", "code", "path"):
            found.setdefault(exact.code.upper(), exact)
    return found


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


PICK_LIMIT = 20
PATH_SEPARATOR = " · "


@dataclass(frozen=True)
class Picked:
    """A unit as the unit picker offers it: its code (what the form posts), its name, and its place in
    the tree read upwards ("Chi bộ 1 · Đảng ủy Sở Tư pháp · Đảng ủy Khối")."""

    code: str
    name: str
    path_label: str

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "path_label": self.path_label}


def path_labels(versions: list[UnitVersion], day: datetime.date | None = None) -> dict[int, str]:
    """{unit id: "name · parent · … · root"} for today's `versions`, with the ancestors' short names,
    in one query for all of them (their ids are in the paths)."""
    wanted = {ancestor for version in versions for ancestor in path_ids(version.path)[:-1]}
    short = {
        unit_id: short_name or name
        for unit_id, name, short_name in versions_on(day)
        .filter(unit_id__in=wanted)
        .values_list("unit_id", "name", "short_name")
    }
    labels = {}
    for version in versions:
        above = [short[i] for i in reversed(path_ids(version.path)[:-1]) if i in short]
        labels[version.unit_id] = PATH_SEPARATOR.join([version.name, *above])
    return labels


def _after(key: str) -> str:
    """The smallest string greater than every string that starts with `key` (a range's upper end)."""
    return key[:-1] + chr(ord(key[-1]) + 1)


def _keys_in_reach(user, perm: Perm, within: str | None = None) -> QuerySet[UnitPickKey]:
    keys = policy.scope(user, perm, UnitPickKey.objects.all(), field="path")
    return in_subtree(keys, within) if within else keys


def _in_force(unit_ids: list[int]) -> list[UnitVersion]:
    """Today's versions of `unit_ids`, in that order (units not in force today left out)."""
    found = {v.unit_id: v for v in versions_on().filter(unit_id__in=unit_ids).select_related("unit")}
    return [found[i] for i in unit_ids if i in found]


def _first_units(user, perm: Perm, limit: int, within: str | None = None) -> list[int]:
    """Where the picker starts when nothing is typed: the units at the top of the user's reach (or the
    unit at `within`), then the units right under them."""
    paths = [within] if within else policy.scope_paths(user, perm)
    if paths is None:
        roots = versions_on().filter(parent__isnull=True).order_by("sort_name")
        top_ids = list(roots.values_list("unit_id", flat=True)[: limit + 1])
    else:
        tops = Unit.objects.filter(path__in=paths).order_by("path")
        top_ids = list(tops.values_list("id", flat=True)[: limit + 1])
    under = versions_on().filter(parent_id__in=top_ids).order_by("sort_name")
    return top_ids + list(under.values_list("unit_id", flat=True)[: limit + 1])


def _starting(keys: QuerySet[UnitPickKey], key: str, limit: int) -> list[int]:
    """Ids of the units among `keys` with a word sequence starting with `key`, in the order of the
    matching text then of the tree; at most `limit` + 1 (one range scan on the index)."""
    ranged = keys.filter(key__gte=key, key__lt=_after(key)).order_by("key", "path")
    return list(dict.fromkeys(ranged.values_list("unit_id", flat=True)[: 3 * (limit + 1)]))[: limit + 1]


def _under(paths: list[str]) -> Q:
    condition = Q()
    for path in paths:
        condition |= Q(path__gte=path, path__lt=path_upper_bound(path))
    return condition


def _matching_units(user, query: str, perm: Perm, limit: int, within: str | None = None) -> list[int]:
    """Ids of units in reach with a word sequence starting with `query` (diacritics and case ignored);
    at most `limit` + 1. When none has, the query may name a unit then a unit above it ("chi bo 1 tu
    phap"): the first words are looked for under the units the last ones name. `within`: the path of
    the subtree the units must lie in."""
    key = search_key(query)[:120]
    if not key:
        return _first_units(user, perm, limit, within)
    in_reach = _keys_in_reach(user, perm, within)
    found = _starting(in_reach, key, limit)
    terms = search_terms(query)
    for split in range(len(terms) - 1, max(len(terms) - 4, 0), -1):
        if found:
            break
        above = " ".join(terms[split:])[:120]
        ranged = UnitPickKey.objects.filter(key__gte=above, key__lt=_after(above)).order_by("key", "path")
        anchors = sorted(set(ranged.values_list("path", flat=True)[:20]))
        if anchors:
            found = _starting(in_reach.filter(_under(anchors)), " ".join(terms[:split]), limit)
    return found


def path_label(unit: Unit) -> str:
    """ "name · parent · … · root" of a unit as it stands today (one query, for its ancestors)."""
    return path_labels([UnitVersion(unit_id=unit.id, name=unit.name, path=unit.path)])[unit.id]


def pick(
    user, query: str, perm: Perm = Perm.UNIT_VIEW, *, limit: int = PICK_LIMIT, within: Unit | None = None
) -> tuple[list[Picked], bool]:
    """The unit picker's suggestions: units in force where `user` holds `perm` with a word sequence
    starting with `query` ("tu phap" finds "Đảng bộ Sở Tư pháp"; a code finds the unit and those under
    it), at most `limit`, and whether there are more. An empty query offers the top of the user's reach.
    `within`: only units of that unit's subtree (a programme's tree, a document's recipients).

    Three queries whatever the size of the tree: a range scan on the picker's index (`UnitPickKey`)
    narrowed to the user's subtrees, today's versions of the units found, their ancestors' names.
    """
    path = within.path if within is not None else None
    versions = [
        v
        for v in _in_force(_matching_units(user, query, perm, limit, path))
        if policy.can(user, perm, v.unit)
    ]
    more, versions = len(versions) > limit, versions[:limit]
    labels = path_labels(versions)
    return [Picked(v.unit.code, v.name, labels[v.unit_id]) for v in versions], more


def match_units(
    user, text: str, perm: Perm = Perm.UNIT_VIEW, *, limit: int = PICK_LIMIT, within: Unit | None = None
) -> list[UnitVersion]:
    """The units a name or code typed into a form may mean, among those in force where `user` holds
    `perm`: the unit with that code; else those named exactly so (diacritics and case ignored, name or
    short name); else the picker's suggestions for the text; as today's versions, with their unit.
    One is a match, several ask the user to choose (at most `limit` + 1 are returned), none is
    unknown: a unit out of reach is unknown too, and so is one outside `within`'s subtree when given."""
    path = within.path if within is not None else None
    by_code = unit_by_code(text)
    if by_code is not None and path and not by_code.path.startswith(path):
        by_code = None
    if by_code is not None and policy.can(user, perm, by_code):
        # By its code, a unit no longer (or not yet) in force too: a restructuring may be dated back.
        return [version_of(by_code) or latest_version(by_code)]
    key = search_key(text)[:120]
    if not key:
        return []
    whole = (
        _keys_in_reach(user, perm, path).filter(key=key).order_by("path").values_list("unit_id", flat=True)
    )
    named = [
        v
        for v in _in_force(list(dict.fromkeys(whole[:500])))
        if key in (search_key(v.name)[:120], search_key(v.short_name)[:120])
    ]
    found = named or _in_force(_matching_units(user, text, perm, limit, path))
    return [v for v in found if policy.can(user, perm, v.unit)][: limit + 1]


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


def may_create_tree(*, by: Actor) -> bool:
    """Can `by` restructure everywhere, new roots included? Only then may `services.units_create_tree`
    be used: every permission `unit_create` would ask for is then granted."""
    return policy.scope_paths(by, Perm.UNIT_RESTRUCTURE) is None
