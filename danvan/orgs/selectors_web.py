"""Reads for the organisation web pages: tree roots, scoped child counts, breadcrumbs, timelines.

Built on selectors.py and shaped for templates. Nothing here decides permissions: callers pass
querysets already narrowed by `danvan.accounts.policy` (or the subtree paths it returned).
Each function costs a fixed number of queries, whatever the number of units on the page.
"""

import datetime
import itertools
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from danvan.core.paths import path_ids

from . import selectors
from .models import RestructuringEvent, Unit, UnitGroup, UnitLink, UnitType, UnitVersion

Kind = RestructuringEvent.Kind


def roots_on(paths: list[str] | None, day: datetime.date) -> list[UnitVersion]:
    """The versions on `day` of the units whose current path is in `paths` (the tree's roots if None)."""
    if paths is None:
        return list(selectors.children(None, day))
    if not paths:
        return []
    qs = selectors.versions_on(day).filter(unit__path__in=paths)
    return list(qs.select_related("unit", "unit_type").order_by("sort_name"))


def with_scoped_child_counts(versions, within: QuerySet[UnitVersion]) -> list[UnitVersion]:
    """Annotate each version with `child_count`: its children found in `within` (one query).

    `within` is the versions of one day, already narrowed to what the user may see.
    """
    versions = list(versions)
    ids = [version.unit_id for version in versions]
    counts = Counter(within.filter(parent_id__in=ids).values_list("parent_id", flat=True))
    for version in versions:
        version.child_count = counts.get(version.unit_id, 0)
    return versions


def ancestor_chains(versions, day: datetime.date) -> dict[int, list[UnitVersion]]:
    """unit id -> its ancestors on `day`, root first, for a page of versions (one query)."""
    versions = list(versions)
    wanted = {version.unit_id: path_ids(version.path)[:-1] for version in versions}
    all_ids = {unit_id for ids in wanted.values() for unit_id in ids}
    found = {
        version.unit_id: version
        for version in selectors.versions_on(day).filter(unit_id__in=all_ids).select_related("unit")
    }
    return {unit_id: [found[i] for i in ids if i in found] for unit_id, ids in wanted.items()}


# --- the unit page's timeline -----------------------------------------------------------------


@dataclass
class TimelineEntry:
    """One dated line of a unit's history: a sentence, the decision behind it, the units it names."""

    day: datetime.date
    title: str
    text: str
    decision: str = ""
    units: list[Unit] = field(default_factory=list)
    order: int = 0
    links: list[tuple[Unit, bool]] = field(default_factory=list)  # (unit, may the reader open it): the page's


class _Names:
    """Display names for the codes stored in event details (one query per kind of thing)."""

    def __init__(self, events: list[RestructuringEvent]):
        codes = set()
        for event in events:
            codes.update(_codes_in(event.details))
        self.units = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
        self.types = dict(UnitType.objects.values_list("code", "name"))
        self.groups = dict(UnitGroup.objects.values_list("code", "name"))

    def unit(self, code: str | None) -> str:
        if not code:
            return "—"
        unit = self.units.get(code)
        return unit.name if unit else code

    def unit_list(self, codes) -> str:
        return ", ".join(self.unit(code) for code in codes or [])

    def linked(self, codes) -> list[Unit]:
        return [self.units[code] for code in codes if code in self.units]

    def group_list(self, codes) -> str:
        return ", ".join(self.groups.get(code, code) for code in codes or []) or "—"


def _codes_in(details: dict) -> set[str]:
    codes: set[str] = set()
    parent = details.get("parent")
    if isinstance(parent, list):
        codes.update(code for code in parent if code)
    elif parent:
        codes.add(parent)
    for key in ("predecessors", "successors"):
        codes.update(details.get(key) or [])
    for key in ("successor", "split_from"):
        if details.get(key):
            codes.add(details[key])
    return codes


def _change_sentences(changes: dict, names: _Names) -> list[str]:
    """Sentences for a rename / regroup event's {field: [before, after]} details."""
    sentences = []
    if "name" in changes:
        old, new = changes["name"]
        sentences.append(_("Renamed from “%(old)s” to “%(new)s”.") % {"old": old, "new": new})
    if "short_name" in changes:
        sentences.append(_("Short name set to “%(name)s”.") % {"name": changes["short_name"][1] or "—"})
    if "unit_type" in changes:
        old, new = changes["unit_type"]
        sentences.append(
            _("Type changed from %(old)s to %(new)s.")
            % {"old": names.types.get(old, old), "new": names.types.get(new, new)}
        )
    if "groups" in changes:
        groups = names.group_list(changes["groups"][1])
        sentences.append(_("Groups changed to: %(groups)s.") % {"groups": groups})
    return sentences


def _event_entry(event: RestructuringEvent, names: _Names) -> TimelineEntry:
    details = event.details or {}
    title = _("Established") if event.kind == Kind.CREATE else event.get_kind_display()
    linked: list[str] = []
    if event.kind == Kind.CREATE:
        if details.get("split_from"):
            text = _("Established by the split of %(unit)s.") % {"unit": names.unit(details["split_from"])}
            linked = [details["split_from"]]
        elif details.get("by_merge"):
            text = _("Established by a merge.")
        elif details.get("parent"):
            text = _("Established as “%(name)s” under %(parent)s.") % {
                "name": details.get("name", ""),
                "parent": names.unit(details["parent"]),
            }
            linked = [details["parent"]]
        else:
            text = _("Established as “%(name)s”.") % {"name": details.get("name", "")}
    elif event.kind in (Kind.RENAME, Kind.REGROUP):
        text = " ".join(_change_sentences(details, names)) or event.summary
    elif event.kind == Kind.MOVE:
        old, new = (details.get("parent") or [None, None])[:2]
        text = _("Moved from %(old)s to %(new)s.") % {"old": names.unit(old), "new": names.unit(new)}
        linked = [code for code in (old, new) if code]
    elif event.kind == Kind.MERGE:
        codes = details.get("predecessors") or []
        text = _("%(units)s merged into this unit.") % {"units": names.unit_list(codes)}
        linked = codes
    elif event.kind == Kind.SPLIT:
        codes = details.get("successors") or []
        text = _("Split into %(units)s.") % {"units": names.unit_list(codes)}
        linked = codes
    elif details.get("successor"):
        text = _("Merged into %(unit)s; the unit ends.") % {"unit": names.unit(details["successor"])}
        linked = [details["successor"]]
    else:
        text = _("Dissolved.")
    return TimelineEntry(event.effective_on, title, text, event.decision, names.linked(linked), order=1)


def _version_change(previous: UnitVersion, version: UnitVersion) -> TimelineEntry | None:
    sentences, linked = [], []
    if version.name != previous.name:
        names = {"old": previous.name, "new": version.name}
        sentences.append(_("Renamed from “%(old)s” to “%(new)s”.") % names)
    if version.parent_id != previous.parent_id:
        old = previous.parent.name if previous.parent else "—"
        new = version.parent.name if version.parent else "—"
        sentences.append(_("Moved from %(old)s to %(new)s.") % {"old": old, "new": new})
        linked = [unit for unit in (previous.parent, version.parent) if unit]
    elif version.path != previous.path:
        sentences.append(_("Its place in the tree changed with a higher unit."))
    if version.unit_type_id != previous.unit_type_id:
        names = {"old": previous.unit_type.name, "new": version.unit_type.name}
        sentences.append(_("Type changed from %(old)s to %(new)s.") % names)
    groups = sorted(group.name for group in version.groups.all())
    if groups != sorted(group.name for group in previous.groups.all()):
        sentences.append(_("Groups changed to: %(groups)s.") % {"groups": ", ".join(groups) or "—"})
    if not sentences:
        return None
    return TimelineEntry(version.valid_from, _("Changed"), " ".join(sentences), units=linked)


def _version_entries(versions: list[UnitVersion]) -> list[TimelineEntry]:
    """What changed at each version boundary, for history that no event describes (e.g. imports)."""
    if not versions:
        return []
    first = versions[0]
    parent = first.parent.name if first.parent else "—"
    text = _("Established as “%(name)s” under %(parent)s.") % {"name": first.name, "parent": parent}
    linked = [first.parent] if first.parent else []
    entries = [TimelineEntry(first.valid_from, _("Established"), text, units=linked)]
    for previous, version in itertools.pairwise(versions):
        entry = _version_change(previous, version)
        if entry is not None:
            entries.append(entry)
    if versions[-1].valid_to is not None:
        entries.append(TimelineEntry(versions[-1].valid_to, _("Ended"), _("The unit ceased to exist.")))
    return entries


def _link_entries(predecessors: list[UnitLink], successors: list[UnitLink]) -> list[TimelineEntry]:
    entries = []
    for link in predecessors:
        entries.append(
            TimelineEntry(
                link.effective_on,
                link.get_kind_display(),
                _("Succeeds %(unit)s.") % {"unit": link.predecessor.name},
                units=[link.predecessor],
                order=2,
            )
        )
    for link in successors:
        entries.append(
            TimelineEntry(
                link.effective_on,
                link.get_kind_display(),
                _("Succeeded by %(unit)s.") % {"unit": link.successor.name},
                units=[link.successor],
                order=2,
            )
        )
    return entries


def timeline(unit: Unit, history: dict | None = None) -> list[TimelineEntry]:
    """The unit's history in date order: restructuring events first, then what the versions and
    succession links show that no event of the same day already tells (imported history)."""
    history = history or selectors.history(unit)
    names = _Names(history["events"])
    entries = [_event_entry(event, names) for event in history["events"]]
    told = {entry.day for entry in entries}
    derived = _version_entries(history["versions"])
    derived += _link_entries(history["predecessors"], history["successors"])
    entries += [entry for entry in derived if entry.day not in told]
    return sorted(entries, key=lambda entry: (entry.day, entry.order))
