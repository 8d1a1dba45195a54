"""Writes to the organisation registry: creating units and restructuring them on a date.

Owns Unit, UnitVersion, RestructuringEvent, UnitLink and MobilisationLead rows. Every public
function runs in one transaction, validates before it writes and raises
`django.core.exceptions.ValidationError` with a message for the user; nothing is half-saved.

Changes are recorded in time order per unit: a change effective on a date is refused when the
unit already has a version starting after that date (record the earlier change first).
"""

import copy
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Upper
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.audit.models import AuditEvent
from danvan.audit.services import Pending, record, record_created, record_many
from danvan.core import bulk, uploads
from danvan.core.dates import day_text
from danvan.core.paths import path_segment, path_upper_bound
from danvan.core.text import check_text, search_key, sort_key

from . import indexing
from .models import (
    MobilisationLead,
    RestructuringEvent,
    Unit,
    UnitGroup,
    UnitLink,
    UnitPickKey,
    UnitType,
    UnitVersion,
)
from .regulation import validate_regulation_file
from .selectors import may_create_tree, version_on

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
Kind = RestructuringEvent.Kind


@dataclass
class NewUnit:
    """What a new unit (created alone, or as the product of a merge or split) is made of."""

    code: str
    name: str
    unit_type: UnitType
    parent: Unit | None = None
    short_name: str = ""
    groups: Sequence[UnitGroup] = field(default_factory=list)


def _fail(message: str, field_name: str | None = None) -> NoReturn:
    raise ValidationError({field_name: message} if field_name else message)


def _text(value: str | None, field_name: str, limit: int, *, required: str = "") -> str:
    """`value` checked as all typed text is (`core.text`: no control characters, at most `limit`) and
    stripped, its spacing kept as typed (an import compares names letter by letter); else refused."""
    try:
        return check_text(value, limit=limit, required=required, multiline=True)
    except ValidationError as error:
        raise ValidationError({field_name: error.messages}) from None


def _require(by: Actor, perm: Perm, unit: Unit | None) -> None:
    """`by` must hold `perm` at `unit` (at a root for None: the top of the tree), as the pages and the
    API ask before calling: PermissionDenied otherwise, nothing written."""
    if policy.can(by, perm, unit):
        return
    if unit is None:
        raise PermissionDenied(_("Only administrators of the whole tree may place units at its top."))
    if perm == Perm.UNIT_EDIT:
        raise PermissionDenied(_("You may not change the records of unit %(code)s.") % {"code": unit.code})
    raise PermissionDenied(_("You may not restructure unit %(code)s.") % {"code": unit.code})


# --- reading helpers used by the writers -------------------------------------------------------


def _require_version(unit: Unit, day: datetime.date) -> UnitVersion:
    version = version_on(unit, day)
    if version is None:
        _fail(_("Unit %(code)s does not exist on %(day)s.") % {"code": unit.code, "day": day_text(day)})
    return version


def _require_no_later_change(unit: Unit, day: datetime.date) -> None:
    later = unit.versions.filter(valid_from__gt=day).order_by("valid_from").first()
    if later is not None:
        _fail(
            _(
                "Unit %(code)s already has a change recorded from %(later)s (its own, or a move of a unit "
                "above it); record this change on that date or later."
            )
            % {"code": unit.code, "later": day_text(later.valid_from)}
        )


def _subtree_versions_from(path: str, day: datetime.date) -> QuerySet[UnitVersion]:
    """Versions in the subtree of `path` (the unit included) that hold on `day` or later."""
    return UnitVersion.objects.filter(path__gte=path, path__lt=path_upper_bound(path)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )


def _mirrored(versions: list[UnitVersion], day: datetime.date) -> UnitVersion:
    """The version a unit shows on `day`: the one in force, else the last (ended) or first (not yet begun)."""
    for version in versions:
        if version.covers(day):
            return version
    return versions[-1] if versions[-1].valid_from <= day else versions[0]


def _refresh_mirror(unit_ids: Iterable[int], day: datetime.date | None = None) -> int:
    """Copy onto each Unit row the path and name it has on `day` (today) and the day it ends.

    Roles and scoped queries use `Unit.path`, so a move recorded ahead of its effective date
    changes who sees the unit only from that date (see unit_mirror_refresh). Returns units changed.
    """
    day = day or timezone.localdate()
    ids = list(set(unit_ids))
    changed = 0
    for start in range(0, len(ids), 2000):
        with transaction.atomic():  # the rows, their picker keys and their search entries together
            changed += _refresh_chunk(ids[start : start + 2000], day)
    return changed


def _refresh_chunk(chunk: list[int], day: datetime.date) -> int:
    """One chunk of `_refresh_mirror`: the units whose mirror row changed; the number of them."""
    versions: dict[int, list[UnitVersion]] = {}
    for version in UnitVersion.objects.filter(unit_id__in=chunk).order_by("unit_id", "valid_from"):
        versions.setdefault(version.unit_id, []).append(version)
    units, keys, old_paths = [], [], {}
    for unit in Unit.objects.filter(id__in=chunk):
        shown = _mirrored(versions[unit.id], day)
        values = (shown.path, shown.name, versions[unit.id][-1].valid_to)
        if (unit.path, unit.name, unit.valid_to) != values:
            old_paths[unit.id] = unit.path
            unit.path, unit.name, unit.valid_to = values
            units.append(unit)
        if unit.valid_to is None or unit.valid_to > day:  # an ended unit is offered by no picker
            names = (shown.name, shown.short_name)
            keys += UnitPickKey.rows(unit_id=unit.id, code=unit.code, path=shown.path, names=names)
    Unit.objects.bulk_update(units, ["path", "name", "valid_to"], batch_size=1000)
    indexing.changed(units, old_paths)
    UnitPickKey.objects.filter(unit_id__in=chunk).delete()
    UnitPickKey.objects.bulk_create(keys, batch_size=2000)
    return len(units)


def unit_mirror_refresh(*, day: datetime.date | None = None, window_days: int = 31, by: Actor) -> int:
    """Bring the Unit rows up to date for `day`: units with a version starting or ending in the
    `window_days` before it (changes recorded ahead of time that have now taken effect).

    Run every six hours by Celery beat (`tasks.refresh_unit_mirror`) and, on installations without
    beat, by `danvan refresh-units` from cron (both as the `System`; the whole tree's business: `by`
    restructures at a root). Nothing else runs it: reads (the policy) never write.
    """
    _require(by, Perm.UNIT_RESTRUCTURE, None)
    day = day or timezone.localdate()
    since = day - datetime.timedelta(days=window_days)
    boundary = Q(valid_from__gt=since, valid_from__lte=day) | Q(valid_to__gt=since, valid_to__lte=day)
    ids = UnitVersion.objects.filter(boundary).values_list("unit_id", flat=True).distinct()
    return _refresh_mirror(list(ids), day)


def _ended_by(unit: Unit, day: datetime.date) -> bool:
    """Has `unit` ended (dissolved, merged or split) on or before `day`?"""
    return unit.valid_to is not None and unit.valid_to <= day


def _require_lasting_parent(parent: Unit, day: datetime.date) -> None:
    """A unit placed under `parent` from `day` on would outlive a parent that ends."""
    if parent.valid_to is None:
        return
    if _ended_by(parent, day):
        _fail(
            _("Parent unit %(parent)s is dissolved on %(end)s; a unit cannot be placed under it.")
            % {"parent": parent.code, "end": day_text(parent.valid_to)},
            "parent",
        )
    _fail(
        _("Parent unit %(parent)s ends on %(end)s; a unit placed under it would outlive it.")
        % {"parent": parent.code, "end": day_text(parent.valid_to)},
        "parent",
    )


def _require_parent_outside(parent: Unit | None, ending: Sequence[Unit], day: datetime.date) -> None:
    """The parent of a new unit must not lie inside a unit that is being merged or split."""
    if parent is None:
        return
    parent_path = _require_version(parent, day).path
    for unit in ending:
        if parent_path.startswith(_require_version(unit, day).path):
            _fail(
                _("The new unit cannot be placed under %(parent)s, which is part of %(code)s being ended.")
                % {"parent": parent.code, "code": unit.code},
                "parent",
            )


def _event(
    kind: str, unit: Unit, day: datetime.date, summary: str, details: dict[str, Any], decision: str, by: Actor
) -> RestructuringEvent:
    event = RestructuringEvent.objects.create(
        kind=kind,
        unit=unit,
        effective_on=day,
        summary=summary[:500],
        details=details,
        decision=_text(decision, "decision", 200),
        recorded_by=recorded_user(by),
    )
    record(
        action=AuditEvent.Action.RESTRUCTURE,
        instance=unit,
        unit=unit,
        changes={"kind": kind, "effective_on": day.isoformat(), **details},
    )
    return event


def _fill_text_keys(version: UnitVersion) -> None:
    version.search_name, version.sort_name = _text_keys(version.name, version.short_name, version.unit.code)


def _text_keys(name: str, short_name: str, code: str) -> tuple[str, str]:
    """A version's search_name and sort_name."""
    return search_key(f"{name} {short_name} {code}")[:400], sort_key(name)


# --- creating --------------------------------------------------------------------------------


def _validate_new(spec: NewUnit, day: datetime.date) -> None:
    code = (spec.code or "").strip()
    if not CODE_RE.match(code):
        _fail(
            _("Code “%(code)s” is not valid: use letters, digits, '.', '_' or '-' (at most 64).")
            % {"code": code},
            "code",
        )
    if Unit.objects.annotate(code_upper=Upper("code")).filter(code_upper=code.upper()).exists():
        _fail(_("Code %(code)s is already used by another unit.") % {"code": code}, "code")
    _text(spec.name, "name", 255, required=_("The unit needs a name."))
    _text(spec.short_name, "short_name", 120)
    if spec.parent is not None:
        parent_version = version_on(spec.parent, day)
        if parent_version is None:
            first = spec.parent.versions.order_by("valid_from").first()
            if first is not None and day < first.valid_from:
                _fail(
                    _("The unit cannot start on %(day)s, before its parent %(parent)s exists (%(start)s).")
                    % {"day": day_text(day), "parent": spec.parent.code, "start": day_text(first.valid_from)},
                    "parent",
                )
            _fail(
                _("Parent unit %(parent)s is not in force on %(day)s.")
                % {"parent": spec.parent.code, "day": day_text(day)},
                "parent",
            )
        _require_lasting_parent(spec.parent, day)


def _parent_segments(
    parent: Unit | None, day: datetime.date
) -> list[tuple[datetime.date, datetime.date | None, str, int]]:
    """(from, to, path, depth) of the parent's positions from `day` on, merged where the path holds."""
    if parent is None:
        return [(day, None, "", 0)]
    segments: list[list[Any]] = []
    for version in parent.versions.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day)).order_by(
        "valid_from"
    ):
        start = max(version.valid_from, day)
        if segments and segments[-1][2] == version.path:
            segments[-1][1] = version.valid_to
        else:
            segments.append([start, version.valid_to, version.path, version.depth + 1])
    return [(start, end, path, depth) for start, end, path, depth in segments]


def _create(spec: NewUnit, day: datetime.date) -> Unit:
    code = spec.code.strip()
    unit = Unit(code=code, name=spec.name.strip(), path="", valid_from=day)
    unit._audit_deferred = True  # type: ignore[attr-defined]  # its path is only known once it has an id: recorded below
    unit.save()
    own = path_segment(unit.id)
    for start, end, parent_path, depth in _parent_segments(spec.parent, day):
        version = UnitVersion(
            unit=unit,
            name=spec.name.strip(),
            short_name=spec.short_name.strip(),
            unit_type=spec.unit_type,
            parent=spec.parent,
            path=parent_path + own,
            depth=depth,
            valid_from=start,
            valid_to=end,
        )
        _fill_text_keys(version)
        version.save()
        version.groups.set(spec.groups)
    _refresh_mirror([unit.id])
    unit = Unit.objects.get(pk=unit.pk)
    record_created(instance=unit)
    return unit


@transaction.atomic
def unit_create(*, spec: NewUnit, valid_from: datetime.date, by: Actor, decision: str = "") -> Unit:
    """Create a unit in force from `valid_from`, under `spec.parent` (or as a root); `by` restructures
    at the parent (at a root for a new root)."""
    _require(by, Perm.UNIT_RESTRUCTURE, spec.parent)
    _validate_new(spec, valid_from)
    unit = _create(spec, valid_from)
    _event(
        Kind.CREATE,
        unit,
        valid_from,
        _("Created %(name)s") % {"name": unit.name},
        {"code": unit.code, "name": unit.name, "parent": spec.parent.code if spec.parent else None},
        decision,
        by,
    )
    return unit


# --- changing a unit's own attributes ---------------------------------------------------------


def _open_version_from(version: UnitVersion, day: datetime.date) -> UnitVersion:
    """The version to edit for a change on `day`: `version` itself if it starts that day, else a copy."""
    if version.valid_from == day:
        return version
    groups = list(version.groups.all())
    end = version.valid_to
    version.valid_to = day
    version.save(update_fields=["valid_to"])
    copy = UnitVersion.objects.get(pk=version.pk)
    copy.pk = None
    copy.valid_from, copy.valid_to = day, end
    copy.save()
    copy.groups.set(groups)
    return copy


@transaction.atomic
def unit_change(
    *,
    unit: Unit,
    effective_on: datetime.date,
    name: str | None = None,
    short_name: str | None = None,
    unit_type: UnitType | None = None,
    groups: Sequence[UnitGroup] | None = None,
    by: Actor,
    decision: str = "",
) -> Unit:
    """Rename a unit, or change its type or groups, from `effective_on`; `by` restructures at the unit."""
    _require(by, Perm.UNIT_RESTRUCTURE, unit)
    current = _require_version(unit, effective_on)
    _require_no_later_change(unit, effective_on)
    if name is not None:
        _text(name, "name", 255, required=_("The unit needs a name."))
    if short_name is not None:
        _text(short_name, "short_name", 120)
    before: dict[str, Any] = {
        "name": current.name,
        "short_name": current.short_name,
        "unit_type": current.unit_type.code,
        "groups": sorted(g.code for g in current.groups.all()),
    }
    after = dict(before)
    if name is not None:
        after["name"] = name.strip()
    if short_name is not None:
        after["short_name"] = short_name.strip()
    if unit_type is not None:
        after["unit_type"] = unit_type.code
    if groups is not None:
        after["groups"] = sorted(g.code for g in groups)
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if not changes:
        return unit
    version = _open_version_from(current, effective_on)
    version.name, version.short_name = after["name"], after["short_name"]
    if unit_type is not None:
        version.unit_type = unit_type
    _fill_text_keys(version)
    version.save()
    if groups is not None:
        version.groups.set(groups)
    _refresh_mirror([unit.id])
    unit.refresh_from_db()
    kind = Kind.RENAME if ("name" in changes or "short_name" in changes) else Kind.REGROUP
    summary = (
        _("Renamed %(old)s to %(new)s") % {"old": before["name"], "new": after["name"]}
        if "name" in changes
        else _("Changed %(name)s") % {"name": after["name"]}
    )
    _event(kind, unit, effective_on, summary, changes, decision, by)
    unit.refresh_from_db()
    return unit


# --- moving -----------------------------------------------------------------------------------


def _later_positions(parent: Unit | None, day: datetime.date) -> list[datetime.date]:
    """The dates after `day` on which `parent` already has a new position recorded."""
    if parent is None:
        return []
    dates, path = [], None
    for version in parent.versions.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day)).order_by(
        "valid_from"
    ):
        if path is not None and version.path != path and version.valid_from > day:
            dates.append(version.valid_from)
        path = version.path
    return dates


def _place_subtree(unit: Unit, new_parent: Unit | None, day: datetime.date) -> int:
    """Put `unit` (with its subtree) under `new_parent` from `day` on, following the parent
    through the moves already recorded for it after `day`. Returns the versions touched."""
    touched = _repath_subtree(unit, new_parent, day)
    for later in _later_positions(new_parent, day):
        touched += _repath_subtree(unit, new_parent, later)
    return touched


def _repath_subtree(unit: Unit, new_parent: Unit | None, day: datetime.date) -> int:
    """Put `unit` under `new_parent` from `day`, re-pathing its whole subtree. Returns versions touched."""
    current = _require_version(unit, day)
    old_path = current.path
    if new_parent is None:
        new_path, new_depth = path_segment(unit.id), 0
    else:
        parent_version = _require_version(new_parent, day)
        new_path, new_depth = parent_version.path + path_segment(unit.id), parent_version.depth + 1
    depth_shift = new_depth - current.depth
    affected = list(_subtree_versions_from(old_path, day).prefetch_related("groups"))
    touched_units = set()
    to_update, to_split = [], []
    for version in affected:
        if version.valid_from >= day:
            to_update.append(version)
        else:
            to_split.append(version)
    new_versions: list[tuple[UnitVersion, list[int]]] = []
    group_links: list[Any] = []
    for version in to_split:
        copy = UnitVersion(
            unit_id=version.unit_id,
            name=version.name,
            short_name=version.short_name,
            unit_type_id=version.unit_type_id,
            parent_id=version.parent_id,
            path=new_path + version.path[len(old_path) :],
            depth=version.depth + depth_shift,
            valid_from=day,
            valid_to=version.valid_to,
            search_name=version.search_name,
            sort_name=version.sort_name,
        )
        if version.unit_id == unit.id:
            copy.parent = new_parent
        new_versions.append((copy, [g.id for g in version.groups.all()]))
        version.valid_to = day
        touched_units.add(version.unit_id)
    for version in to_update:
        version.path = new_path + version.path[len(old_path) :]
        version.depth += depth_shift
        if version.unit_id == unit.id:
            version.parent = new_parent
        touched_units.add(version.unit_id)
    UnitVersion.objects.bulk_update(to_split, ["valid_to"], batch_size=1000)
    UnitVersion.objects.bulk_update(to_update, ["path", "depth", "parent"], batch_size=1000)
    created = UnitVersion.objects.bulk_create([copy for copy, _ids in new_versions], batch_size=1000)
    for copy, group_ids in zip(created, (ids for _copy, ids in new_versions), strict=True):
        group_links.extend(
            UnitVersion.groups.through(unitversion_id=copy.id, unitgroup_id=g) for g in group_ids
        )
    UnitVersion.groups.through.objects.bulk_create(group_links, batch_size=2000)
    _refresh_mirror(touched_units)
    return len(affected)


def _validate_move(unit: Unit, new_parent: Unit | None, day: datetime.date) -> UnitVersion:
    current = _require_version(unit, day)
    _require_no_later_change(unit, day)
    if new_parent is None:
        return current
    parent_version = version_on(new_parent, day)
    if parent_version is None:
        _fail(
            _("Parent unit %(parent)s is not in force on %(day)s.")
            % {"parent": new_parent.code, "day": day_text(day)},
            "parent",
        )
    _require_lasting_parent(new_parent, day)
    if parent_version.path.startswith(current.path):
        _fail(
            _("Unit %(code)s cannot be placed under %(parent)s, which is inside its own subtree.")
            % {"code": unit.code, "parent": new_parent.code},
            "parent",
        )
    return current


@transaction.atomic
def unit_move(
    *, unit: Unit, new_parent: Unit | None, effective_on: datetime.date, by: Actor, decision: str = ""
) -> Unit:
    """Move a unit (with its subtree) under another parent from `effective_on`; `by` restructures at
    the unit and at the new parent (at a root to make it a root)."""
    _require(by, Perm.UNIT_RESTRUCTURE, unit)
    _require(by, Perm.UNIT_RESTRUCTURE, new_parent)
    current = _validate_move(unit, new_parent, effective_on)
    if current.parent_id == (new_parent.id if new_parent else None):
        _fail(_("The unit is already under this parent."), "parent")
    old_parent = current.parent
    touched = _place_subtree(unit, new_parent, effective_on)
    _event(
        Kind.MOVE,
        unit,
        effective_on,
        _("Moved %(name)s from %(old)s to %(new)s")
        % {
            "name": current.name,
            "old": old_parent.name if old_parent else "—",
            "new": new_parent.name if new_parent else "—",
        },
        {
            "parent": [old_parent.code if old_parent else None, new_parent.code if new_parent else None],
            "versions_touched": touched,
        },
        decision,
        by,
    )
    unit.refresh_from_db()
    return unit


# --- ending -----------------------------------------------------------------------------------


def _live_children(unit: Unit, day: datetime.date) -> QuerySet[UnitVersion]:
    return (
        UnitVersion.objects.filter(parent=unit)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("unit")
    )


def _close(unit: Unit, day: datetime.date) -> None:
    current = _require_version(unit, day)
    if unit.valid_from >= day:
        _fail(
            _("Unit %(code)s can only end after the day it starts (%(start)s).")
            % {"code": unit.code, "start": day_text(unit.valid_from)}
        )
    if current.valid_from == day:
        # A change recorded for that very day (a move, a rename): the previous version
        # already ends on `day`, so the unit simply has no version from then on.
        current.delete()
    else:
        current.valid_to = day
        current.save(update_fields=["valid_to"])
    _refresh_mirror([unit.id])


def _validate_end(unit: Unit, day: datetime.date) -> None:
    _require_version(unit, day)
    _require_no_later_change(unit, day)
    if unit.valid_to is not None:
        _fail(
            _("Unit %(code)s already ends on %(end)s.") % {"code": unit.code, "end": day_text(unit.valid_to)}
        )


@transaction.atomic
def unit_dissolve(*, unit: Unit, effective_on: datetime.date, by: Actor, decision: str = "") -> Unit:
    """End a unit on `effective_on` (the first day it no longer exists). It must have no units under it;
    `by` restructures at the unit."""
    _require(by, Perm.UNIT_RESTRUCTURE, unit)
    _validate_end(unit, effective_on)
    children = list(_live_children(unit, effective_on)[:5])
    if children:
        _fail(
            _("Unit %(code)s still has units under it (%(children)s); move or dissolve them first.")
            % {"code": unit.code, "children": ", ".join(v.unit.code for v in children)}
        )
    name = unit.name
    _close(unit, effective_on)
    _event(Kind.DISSOLVE, unit, effective_on, _("Dissolved %(name)s") % {"name": name}, {}, decision, by)
    unit.refresh_from_db()
    return unit


def _hand_over_children(source: Unit, target: Unit, day: datetime.date) -> list[str]:
    moved = []
    for version in list(_live_children(source, day)):
        _require_no_later_change(version.unit, day)
        _place_subtree(version.unit, target, day)
        moved.append(version.unit.code)
    return moved


@transaction.atomic
def unit_merge(
    *,
    units: Sequence[Unit],
    effective_on: datetime.date,
    into: Unit | None = None,
    new: NewUnit | None = None,
    by: Actor,
    decision: str = "",
) -> Unit:
    """Merge `units` into an existing unit (`into`) or a new one (`new`) from `effective_on`.

    The units under each merged unit move to the successor; the merged units end that day;
    the successor records them as its predecessors. `by` restructures at every unit merged, at `into`
    and where the new unit is placed.
    """
    day = effective_on
    for unit in units:
        _require(by, Perm.UNIT_RESTRUCTURE, unit)
    if into is not None:
        _require(by, Perm.UNIT_RESTRUCTURE, into)
    if (into is None) == (new is None):
        _fail(_("Choose either an existing unit or a new unit to merge into."))
    predecessors = list(dict.fromkeys(units))
    if len(predecessors) < (1 if into is not None else 2):
        _fail(_("Choose at least two units to merge."))
    for unit in predecessors:
        _validate_end(unit, day)
    if into is not None:
        if into in predecessors:
            _fail(_("A unit cannot be merged into itself."))
        target_version = version_on(into, day)
        if target_version is None or into.valid_to is not None:
            _fail(
                _("Unit %(code)s is dissolved or not in force on %(day)s; nothing can be merged into it.")
                % {"code": into.code, "day": day_text(day)}
            )
        for unit in predecessors:
            if target_version.path.startswith(_require_version(unit, day).path):
                _fail(
                    _("Unit %(code)s lies inside %(other)s and cannot absorb it.")
                    % {"code": into.code, "other": unit.code}
                )
        successor = into
    else:
        assert new is not None  # one of the two, checked above
        if new.parent is None:
            new.parent = _require_version(predecessors[0], day).parent
        _require(by, Perm.UNIT_RESTRUCTURE, new.parent)
        _require_parent_outside(new.parent, predecessors, day)
        for unit in predecessors:
            if new.parent is not None and unit.id == new.parent.id:
                _fail(_("The new unit cannot be placed under a unit that is being merged."), "parent")
        _validate_new(new, day)
        successor = _create(new, day)
        _event(
            Kind.CREATE,
            successor,
            day,
            _("Created %(name)s") % {"name": successor.name},
            {"code": successor.code, "by_merge": True},
            decision,
            by,
        )
    moved: dict[str, list[str]] = {}
    for unit in predecessors:
        moved[unit.code] = _hand_over_children(unit, successor, day)
        _close(unit, day)
        UnitLink.objects.create(
            predecessor=unit, successor=successor, kind=UnitLink.Kind.MERGE, effective_on=day
        )
        _event(
            Kind.DISSOLVE,
            unit,
            day,
            _("Merged into %(name)s") % {"name": successor.name},
            {"successor": successor.code},
            decision,
            by,
        )
    _event(
        Kind.MERGE,
        successor,
        day,
        _("%(names)s merged into %(name)s")
        % {"names": ", ".join(u.name for u in predecessors), "name": successor.name},
        {"predecessors": [u.code for u in predecessors], "children_moved": moved},
        decision,
        by,
    )
    successor.refresh_from_db()
    return successor


@transaction.atomic
def unit_split(
    *,
    unit: Unit,
    effective_on: datetime.date,
    into: Sequence[NewUnit],
    children: dict[str, str] | None = None,
    by: Actor,
    decision: str = "",
) -> list[Unit]:
    """Split `unit` into new units from `effective_on`; it ends that day.

    `children` maps the code of each unit under it to the code of the new unit that takes it;
    units not named go to the first new unit. `by` restructures at the unit and where each new unit
    is placed.
    """
    day = effective_on
    _require(by, Perm.UNIT_RESTRUCTURE, unit)
    _validate_end(unit, day)
    if len(into) < 2:
        _fail(_("A split needs at least two new units."))
    codes = [spec.code.strip().upper() for spec in into]
    if len(set(codes)) != len(codes):
        _fail(_("The new units need different codes."))
    current = _require_version(unit, day)
    for spec in into:
        if spec.parent is None or spec.parent == unit:
            spec.parent = current.parent
        _require(by, Perm.UNIT_RESTRUCTURE, spec.parent)
        _require_parent_outside(spec.parent, [unit], day)
        _validate_new(spec, day)
    successors = [_create(spec, day) for spec in into]
    by_code = {s.code.upper(): s for s in successors}
    mapping = {k.upper(): v.upper() for k, v in (children or {}).items()}
    live = {v.unit.code.upper() for v in _live_children(unit, day)}
    for child in sorted(set(mapping) - live):
        _fail(
            _("%(child)s is not a unit under %(code)s on %(day)s.")
            % {"child": child, "code": unit.code, "day": day_text(day)}
        )
    for target_code in set(mapping.values()):
        if target_code not in by_code:
            _fail(_("%(code)s is not one of the new units.") % {"code": target_code})
    moved: dict[str, list[str]] = {s.code: [] for s in successors}
    for version in list(_live_children(unit, day)):
        target = by_code[mapping.get(version.unit.code.upper(), successors[0].code.upper())]
        _require_no_later_change(version.unit, day)
        _place_subtree(version.unit, target, day)
        moved[target.code].append(version.unit.code)
    name = unit.name
    _close(unit, day)
    for successor in successors:
        UnitLink.objects.create(
            predecessor=unit, successor=successor, kind=UnitLink.Kind.SPLIT, effective_on=day
        )
        _event(
            Kind.CREATE,
            successor,
            day,
            _("Created %(name)s") % {"name": successor.name},
            {"code": successor.code, "split_from": unit.code},
            decision,
            by,
        )
    _event(
        Kind.SPLIT,
        unit,
        day,
        _("%(name)s split into %(names)s") % {"name": name, "names": ", ".join(s.name for s in successors)},
        {"successors": [s.code for s in successors], "children_moved": moved},
        decision,
        by,
    )
    return successors


@transaction.atomic
def unit_link_predecessors(
    *,
    successor: Unit,
    predecessors: Sequence[Unit],
    effective_on: datetime.date,
    kind: str = UnitLink.Kind.SUCCESSION,
    by: Actor,
) -> None:
    """Record succession links (used by imports, where merges arrive as rows rather than as an act);
    `by` restructures at the successor and at every predecessor."""
    for linked in (successor, *predecessors):
        _require(by, Perm.UNIT_RESTRUCTURE, linked)
    for predecessor in predecessors:
        if predecessor == successor:
            _fail(_("A unit cannot be its own predecessor."))
        UnitLink.objects.get_or_create(
            predecessor=predecessor,
            successor=successor,
            defaults={"kind": kind, "effective_on": effective_on},
        )


# --- people and documents ---------------------------------------------------------------------


@transaction.atomic
def lead_assign(
    *,
    unit: Unit,
    full_name: str,
    assigned_on: datetime.date,
    position: str = "",
    phone: str = "",
    email: str = "",
    by: Actor,
) -> MobilisationLead:
    """Name the unit's mobilisation lead from `assigned_on`; the previous lead's term ends that day.
    `by` edits the unit's records."""
    _require(by, Perm.UNIT_EDIT, unit)
    _text(full_name, "full_name", 150, required=_("Enter the full name of the mobilisation lead."))
    _text(position, "position", 150)
    _text(phone, "phone", 30)
    if _ended_by(unit, assigned_on):
        _fail(_("Unit %(code)s is dissolved.") % {"code": unit.code})
    if assigned_on < unit.valid_from:
        _fail(
            _("The lead cannot be assigned before the unit exists (%(day)s).")
            % {"day": day_text(unit.valid_from)},
            "assigned_on",
        )
    previous = unit.leads.filter(ended_on__isnull=True).first()
    if previous is not None:
        if assigned_on <= previous.assigned_on:
            _fail(
                _("The new lead must start after the current lead (%(day)s).")
                % {"day": day_text(previous.assigned_on)},
                "assigned_on",
            )
        previous.ended_on = assigned_on
        previous.save(update_fields=["ended_on"])
    return MobilisationLead.objects.create(
        unit=unit,
        full_name=full_name.strip(),
        position=position.strip(),
        phone=phone.strip(),
        email=email.strip(),
        assigned_on=assigned_on,
    )


@transaction.atomic
def regulation_set(
    *, unit: Unit, number: str, signed_on: datetime.date, file: File | None = None, by: Actor
) -> Unit:
    """Record the unit's coordination regulation (quy chế phối hợp); `by` edits the unit's records.

    The document is kept under a random folder (core.uploads, keep_name: the unit has no column for the
    name, and the download is offered under the name it was sent with).
    """
    _require(by, Perm.UNIT_EDIT, unit)
    _text(number, "regulation_number", 60, required=_("Enter the number and symbol of the regulation."))
    if _ended_by(unit, timezone.localdate()):
        _fail(_("Unit %(code)s is dissolved.") % {"code": unit.code})
    checked = validate_regulation_file(file) if file is not None else None
    unit.regulation_number = number.strip()
    unit.regulation_signed_on = signed_on
    stored = uploads.store(unit.regulation_file, checked, keep_name=True) if checked is not None else None
    try:
        unit.save(update_fields=["regulation_number", "regulation_signed_on", "regulation_file"])
    except BaseException:
        uploads.discard([stored])  # nothing when nothing was stored
        raise
    return unit


# --- a whole new tree at once (imports) ---------------------------------------------------------


@dataclass
class PlannedUnit:
    """A unit of `units_create_tree`: created on `valid_from` under `parent` (the code of a unit created
    before it in the same call, or "" for a root) and, when `valid_to` is given, dissolved on that day.
    `key` is the caller's handle on it, given back when it is refused."""

    code: str
    name: str
    unit_type: UnitType
    parent: str
    groups: Sequence[UnitGroup]
    valid_from: datetime.date
    valid_to: datetime.date | None = None
    key: Any = None


@dataclass(frozen=True)
class PlannedLink:
    predecessor: str
    successor: str
    kind: str
    effective_on: datetime.date


class UnitRefused(Exception):
    """`units_create_tree` refused the unit the caller knows as `key`, with the message `unit_create`
    (or `unit_dissolve`) would have given for it."""

    def __init__(self, key: Any, error: ValidationError):
        super().__init__(key, error)
        self.key, self.error = key, error


_BULK = 2000


def _reserve_ids(model: type[Unit] | type[UnitVersion], count: int) -> list[int]:
    """Ids for `count` new rows of `model`, taken before the rows are written (a path holds its unit's id)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return sorted(row[0] for row in cursor.fetchall())
        # AUTOINCREMENT: past the highest id ever given (sqlite_sequence), as the next insert would be.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        start = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
        start = max(start, cursor.fetchone()[0]) + 1
    return list(range(start, start + count))


def _taken_codes(codes: list[str]) -> set[str]:
    """The codes (upper case) among `codes` that a unit of the system already has, in any case."""
    wanted = sorted({code.upper() for code in codes})
    taken: set[str] = set()
    for start in range(0, len(wanted), _BULK):
        found = Unit.objects.annotate(code_upper=Upper("code")).filter(
            code_upper__in=wanted[start : start + _BULK]
        )
        taken.update(code.upper() for code in found.values_list("code", flat=True))
    return taken


def _check_tree(units: Sequence[PlannedUnit], steps: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Check the units in the order `unit_create` and `unit_dissolve` would meet them, with their
    messages; raise UnitRefused for the first refused. Returns each code as it will be stored (stripped)."""
    planned = {unit.code: unit for unit in units}
    taken = _taken_codes([unit.code.strip() for unit in units])
    created: dict[str, PlannedUnit] = {}
    ended: set[str] = set()
    children: dict[str, list[PlannedUnit]] = {}
    stored: dict[str, str] = {}
    for step, code in steps:
        unit = planned[code]
        try:
            if step == "create":
                stored[code] = _check_planned(unit, created, ended, taken)
                created[code] = unit
                if unit.parent:
                    children.setdefault(unit.parent, []).append(unit)
            else:
                _check_planned_end(unit, children.get(code, []), ended)
                ended.add(code)
        except ValidationError as error:
            raise UnitRefused(unit.key, error) from None
    return stored


def _check_planned(
    unit: PlannedUnit, created: dict[str, PlannedUnit], ended: set[str], taken: set[str]
) -> str:
    """`_validate_new` for a planned unit, its parent among the units created before it."""
    code = (unit.code or "").strip()
    day = unit.valid_from
    if not CODE_RE.match(code):
        _fail(
            _("Code “%(code)s” is not valid: use letters, digits, '.', '_' or '-' (at most 64).")
            % {"code": code},
            "code",
        )
    if code.upper() in taken:
        _fail(_("Code %(code)s is already used by another unit.") % {"code": code}, "code")
    _text(unit.name, "name", 255, required=_("The unit needs a name."))
    if unit.parent:
        parent = created.get(unit.parent)
        if parent is None:
            raise ValueError(f"the parent {unit.parent} of {code} is not created before it")
        if day < parent.valid_from:
            _fail(
                _("The unit cannot start on %(day)s, before its parent %(parent)s exists (%(start)s).")
                % {"day": day_text(day), "parent": parent.code, "start": day_text(parent.valid_from)},
                "parent",
            )
        if unit.parent in ended and parent.valid_to is not None and parent.valid_to <= day:
            _fail(
                _("Parent unit %(parent)s is not in force on %(day)s.")
                % {"parent": parent.code, "day": day_text(day)},
                "parent",
            )
    taken.add(code.upper())
    return code


def _check_planned_end(unit: PlannedUnit, children: list[PlannedUnit], ended: set[str]) -> None:
    """`unit_dissolve` for a planned unit: after its start, with no unit under it left."""
    day = unit.valid_to
    assert day is not None
    if unit.valid_from >= day:
        _fail(
            _("Unit %(code)s can only end after the day it starts (%(start)s).")
            % {"code": unit.code, "start": day_text(unit.valid_from)}
        )
    live = [child.code for child in children if child.code not in ended][:5]
    if live:
        _fail(
            _("Unit %(code)s still has units under it (%(children)s); move or dissolve them first.")
            % {"code": unit.code, "children": ", ".join(live)}
        )


_VERSION_COLUMNS = (
    "id",
    "unit_id",
    "name",
    "short_name",
    "unit_type_id",
    "parent_id",
    "path",
    "depth",
    "valid_from",
    "valid_to",
    "search_name",
    "sort_name",
)


@transaction.atomic
def units_create_tree(
    *,
    units: Sequence[PlannedUnit],
    steps: Sequence[tuple[str, str]],
    links: Sequence[PlannedLink] = (),
    by: Actor,
) -> list[int]:
    """Create a whole tree of new units at once, with the rows `unit_create`, `unit_dissolve` and
    `unit_link_predecessors` would write called one unit at a time in the order of `steps` (("create",
    code) and ("end", code): the same units, versions, picker keys, search entries, restructuring events,
    links and audit events, in the same order), in a few statements per table.

    Each unit has one version (no rename or move); parents are units of `units` created before their
    children. Only for `by` who may restructure everywhere (`selectors.may_create_tree`). A refused unit raises
    UnitRefused with the message the one-at-a-time services would give; nothing is written then.
    Returns the ids of the units, in the order of `units`.
    """
    if not may_create_tree(by=by):
        raise PermissionDenied(_("Only administrators of the whole tree may place units at its top."))
    codes = _check_tree(units, steps)
    # Ids in the order the services would have taken them: the order of creation.
    order = [code for step, code in steps if step == "create"]
    planned = {unit.code: unit for unit in units}
    ids = dict(zip(order, _reserve_ids(Unit, len(order)), strict=True))
    today = timezone.localdate()
    paths: dict[str, str] = {}
    depths: dict[str, int] = {}
    rows: dict[str, Unit] = {}
    versions: list[tuple] = []
    version_ids = iter(_reserve_ids(UnitVersion, len(order)))
    group_rows: list[tuple[int, int]] = []
    keys: list[tuple[int, str, str]] = []
    day = connection.ops.adapt_datefield_value
    for code in order:
        unit = planned[code]
        parent_path = paths[unit.parent] if unit.parent else ""
        paths[code] = parent_path + path_segment(ids[code])
        depths[code] = depths[unit.parent] + 1 if unit.parent else 0
        name = unit.name.strip()
        rows[code] = Unit(
            id=ids[code],
            code=codes[code],
            name=name,
            path=paths[code],
            valid_from=unit.valid_from,
            valid_to=unit.valid_to,
        )
        version_id = next(version_ids)
        versions.append(
            (
                version_id,
                ids[code],
                name,
                "",
                unit.unit_type.id,
                ids[unit.parent] if unit.parent else None,
                paths[code],
                depths[code],
                day(unit.valid_from),
                day(unit.valid_to),
                *_text_keys(name, "", codes[code]),
            )
        )
        group_rows += [(version_id, group.id) for group in unit.groups]
        if unit.valid_to is None or unit.valid_to > today:  # an ended unit is offered by no picker
            keys += [
                (ids[code], key, paths[code]) for key in UnitPickKey.keys(code=codes[code], names=(name, ""))
            ]
    created = [rows[code] for code in order]
    bulk.insert(created)
    bulk.insert_values(UnitVersion, _VERSION_COLUMNS, versions)
    bulk.insert_values(UnitVersion.groups.through, ("unitversion_id", "unitgroup_id"), group_rows)
    bulk.insert_values(UnitPickKey, ("unit_id", "key", "path"), keys)
    del versions, group_rows, keys
    _write_tree_history(planned, rows, steps, by)
    indexing.changed(created, {unit.id: unit.path for unit in created})
    bulk.insert(
        [
            UnitLink(
                predecessor_id=ids[link.predecessor],
                successor_id=ids[link.successor],
                kind=link.kind,
                effective_on=link.effective_on,
            )
            for link in links
        ]
    )
    return [ids[unit.code] for unit in units]


def _as_created(row: Unit) -> Unit:
    if row.valid_to is None:
        return row
    created = copy.copy(row)
    created.valid_to = None
    return created


def _write_tree_history(
    planned: dict[str, PlannedUnit], rows: dict[str, Unit], steps: Sequence[tuple[str, str]], by: Actor
) -> None:
    """The restructuring events and audit events of `units_create_tree`, in the order of `steps`, as
    `unit_create` (`record_created`, then `_event`) and `unit_dissolve` (`_event`) write them."""
    recorded_by = recorded_user(by)
    created_text, dissolved_text = _("Created %(name)s"), _("Dissolved %(name)s")
    details_field = RestructuringEvent._meta.get_field("details")
    now = RestructuringEvent._meta.get_field("recorded_at").get_db_prep_save(timezone.now(), connection)
    events: list[tuple] = []
    audit: list[Pending] = []
    first: datetime.date | None = None
    for step, code in steps:
        unit, row = planned[code], rows[code]
        if step == "create":
            parent = rows[unit.parent].code if unit.parent else None
            kind, day = Kind.CREATE, unit.valid_from
            summary = created_text % {"name": row.name}
            details: dict[str, Any] = {"code": row.code, "name": row.name, "parent": parent}
            # As recorded on creation: before the unit's dissolution, if any, is (valid_to empty).
            audit.append(Pending(instance=_as_created(row), created=True))
        else:
            assert unit.valid_to is not None
            kind, day = Kind.DISSOLVE, unit.valid_to
            summary, details = dissolved_text % {"name": row.name}, {}
        first = day if first is None else min(first, day)
        events.append(
            (
                kind,
                connection.ops.adapt_datefield_value(day),
                row.id,
                summary[:500],
                details_field.get_db_prep_save(details, connection),
                "",
                recorded_by.pk if recorded_by is not None else None,
                now,
            )
        )
        audit.append(
            Pending(
                action=AuditEvent.Action.RESTRUCTURE,
                instance=row,
                unit=row,
                changes={"kind": kind, "effective_on": day.isoformat(), **details},
            )
        )
    columns = (
        "kind",
        "effective_on",
        "unit_id",
        "summary",
        "details",
        "decision",
        "recorded_by_id",
        "recorded_at",
    )
    bulk.insert_values(RestructuringEvent, columns, events)
    del events
    record_many(events=audit)
    if first is not None:
        # What saving each event would tell its listeners (the roll-up rebuilds its periods from the
        # earliest day a change takes effect): said once, for the earliest.
        earliest = RestructuringEvent(kind=Kind.CREATE, effective_on=first, recorded_by=recorded_by)
        post_save.send(
            sender=RestructuringEvent,
            instance=earliest,
            created=True,
            raw=False,
            using=connection.alias,
            update_fields=None,
        )
