"""Checking the parsed rows of a unit file together, before anything is written.

A unit's rows follow one another without gap or overlap; parents and predecessors exist (in the
file or in the system) over the whole of each version; units form no cycle; the importer may
place units where the file puts them (`permitted`). The result is a `Plan`: the file's new units,
the units of the system it refers to, and the `Update`s of system units it names, with their errors.

A code already in the system is an update (`_diff`): a row that says what the system holds on its
`valid_from` is unchanged, whichever version it is (so an export of every version, or a snapshot,
comes back with nothing to do); a row that differs from the unit's current version is a change from
the row's `valid_from` when that is a new date, else from the import's effective date (a name edited
in an exported file); a `valid_to` after the current version is a dissolution. Earlier versions are
history: a row that contradicts them is refused.
"""

import dataclasses
import datetime
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.dates import day_text
from danvan.core.paths import PATH_SEGMENT
from danvan.core.tables import RowError

from ..models import Unit, UnitLink, UnitVersion
from .fileformat import Row

Permitted = Callable[[Unit | None], bool]


@dataclass
class FileUnit:
    """The rows of one code, in date order."""

    code: str
    rows: list[Row] = field(default_factory=list)
    starts: list[datetime.date] = field(default_factory=list)

    @property
    def start(self) -> datetime.date:
        return self.rows[0].valid_from

    @property
    def end(self) -> datetime.date | None:
        return self.rows[-1].valid_to

    def row_on(self, day: datetime.date) -> Row | None:
        index = bisect_right(self.starts, day) - 1
        if index < 0:
            return None
        row = self.rows[index]
        return row if row.valid_to is None or day < row.valid_to else None


@dataclass
class Update:
    """A unit of the system named in the file: the changes its rows make, in date order."""

    code: str
    rows: list[Row]
    changes: list[tuple[datetime.date, Row, Row]] = field(default_factory=list)  # (day, before, after)
    end: datetime.date | None = None  # dissolved on
    links: list[Row] = field(default_factory=list)  # rows with predecessors not linked yet

    @property
    def changed(self) -> bool:
        return bool(self.changes or self.end or self.links)


class Cycle(Exception):
    def __init__(self, chain: list[str]):
        super().__init__(chain)
        self.chain = chain


@dataclass
class Plan:
    """A checked file: its units, and the units of the database it refers to."""

    units: dict[str, FileUnit]
    existing: dict[str, Unit]
    rows: int
    updates: dict[str, Update] = field(default_factory=dict)
    _depths: dict = field(default_factory=dict)

    @property
    def unchanged(self) -> int:
        return sum(1 for update in self.updates.values() if not update.changed)

    def link_rows(self) -> list[Row]:
        """The rows whose predecessors are to be linked: every row of a new unit, new links of the others."""
        rows = [row for unit in self.units.values() for row in unit.rows if row.predecessors]
        return rows + [row for update in self.updates.values() for row in update.links]

    def depth_on(self, code: str, day: datetime.date) -> int:
        """The depth of a unit of the file on `day`, following parents in the file; raises Cycle."""
        chain: list[str] = []
        current = code
        while True:
            known = self._depths.get((current, day))
            if known is not None:
                base = known
                break
            if current in chain:
                raise Cycle([*chain[chain.index(current) :], current])
            unit = self.units.get(current)
            if unit is None:
                existing = self.existing.get(current)
                base = len(existing.path) // PATH_SEGMENT - 1 if existing is not None else -1
                break
            chain.append(current)
            row = unit.row_on(day)
            if row is None or not row.parent:
                base = -1
                break
            current = row.parent
        if not chain:  # a unit of the system
            return base
        for offset, name in enumerate(reversed(chain), start=1):
            self._depths[(name, day)] = base + offset
        return self._depths[(code, day)]


def _existing_units(codes: Iterable[str]) -> dict[str, Unit]:
    found: dict[str, Unit] = {}
    codes = sorted(set(codes))
    for start in range(0, len(codes), 2000):
        for unit in Unit.objects.filter(code__in=codes[start : start + 2000]).only(
            "id", "code", "path", "valid_from", "valid_to"
        ):
            found[unit.code] = unit
    return found


def _system_rows(units: dict[str, Unit]) -> dict[str, list[Row]]:
    """Each unit's versions as rows of a file (row number 0), in date order."""
    codes = {unit.id: code for code, unit in units.items()}
    ids = sorted(codes)
    rows: dict[str, list[Row]] = {code: [] for code in units}
    fields = ("id", "unit_id", "name", "parent__code", "unit_type__code", "valid_from", "valid_to")
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        groups: dict[int, list[str]] = {}
        through = UnitVersion.groups.through.objects.filter(unitversion__unit_id__in=chunk)
        for version_id, group_code in through.values_list("unitversion_id", "unitgroup__code"):
            groups.setdefault(version_id, []).append(group_code)
        versions = UnitVersion.objects.filter(unit_id__in=chunk).order_by("unit_id", "valid_from")
        for version_id, unit_id, name, parent, type_code, valid_from, valid_to in versions.values_list(
            *fields
        ):
            code = codes[unit_id]
            rows[code].append(
                Row(
                    0,
                    code,
                    name,
                    parent or "",
                    type_code,
                    tuple(sorted(groups.get(version_id, ()))),
                    valid_from,
                    valid_to,
                    (),
                )
            )
    return rows


def _system_links(units: dict[str, Unit]) -> set[tuple[str, str]]:
    """(predecessor, successor) codes of the links the units already have as successors."""
    ids = sorted(unit.id for unit in units.values())
    links: set[tuple[str, str]] = set()
    for start in range(0, len(ids), 2000):
        found = UnitLink.objects.filter(successor_id__in=ids[start : start + 2000])
        links.update(found.values_list("predecessor__code", "successor__code"))
    return links


def _content(row: Row) -> tuple:
    return (row.name, row.parent, row.type_code, row.groups)


def _covering(versions: list[Row], day: datetime.date) -> Row | None:
    return next(
        (v for v in versions if v.valid_from <= day and (v.valid_to is None or day < v.valid_to)), None
    )


def _diff(
    unit: FileUnit, system: Unit, versions: list[Row], effective_on: datetime.date
) -> tuple[Update, list[RowError]]:
    """What the file's rows of a unit already in the system change, or why they cannot."""
    update, errors = Update(unit.code, unit.rows), []
    starts = {version.valid_from for version in versions}
    current = versions[-1]
    for row in unit.rows:
        covering = _covering(versions, row.valid_from)
        if covering is not None and _content(covering) == _content(row):
            continue
        values = {"code": unit.code, "day": day_text(row.valid_from)}
        if row.valid_from < versions[0].valid_from:
            values["start"] = day_text(versions[0].valid_from)
            message = (
                _(
                    "Unit %(code)s exists in the system from %(start)s; a row of it cannot start earlier, on %(day)s."
                )
                % values
            )
        elif system.valid_to is not None and row.valid_from >= system.valid_to:
            values["end"] = day_text(system.valid_to)
            message = (
                _("Unit %(code)s was dissolved on %(end)s; the file cannot change it on %(day)s.") % values
            )
        elif covering is not current:
            values["start"] = day_text(current.valid_from)
            message = (
                _(
                    "The row differs from what the system holds for %(code)s on %(day)s: the history cannot be "
                    "changed by an import; write changes as rows from %(start)s on."
                )
                % values
            )
        else:
            day = effective_on if row.valid_from in starts else row.valid_from
            before = update.changes[-1][2] if update.changes else current
            update.changes.append((day, before, dataclasses.replace(row, valid_from=day, valid_to=None)))
            continue
        errors.append(RowError(row.number, "valid_from", message))
    errors.extend(_end_errors(unit, system, update, starts))
    return update, errors


def _end_errors(unit: FileUnit, system: Unit, update: Update, starts: set[datetime.date]) -> list[RowError]:
    """Record a dissolution the last row asks for; an end the system does not have cannot be changed."""
    last, end = unit.rows[-1], unit.rows[-1].valid_to
    if end is None or end == system.valid_to or end in starts:
        return []  # still in force, or the row stops where a version of the system stops
    latest = max([max(starts), *(day for day, _before, _after in update.changes)])
    if system.valid_to is None and end > latest:
        update.end = end
        return []
    message = _(
        "Unit %(code)s ends in the system on %(end)s; an end recorded cannot be changed by an import."
    ) % {"code": unit.code, "end": day_text(system.valid_to) if system.valid_to else _("(still in force)")}
    return [RowError(last.number, "valid_to", message)]


def _updates(
    plan: Plan, effective_on: datetime.date, permitted: Permitted | None
) -> tuple[dict[str, Update], list[RowError]]:
    """Take the units of the file already in the system out of `plan.units`, as updates."""
    known = {code: plan.existing[code] for code in plan.units if code in plan.existing}
    versions, links = _system_rows(known), _system_links(known)
    updates, errors = {}, []
    for code, system in known.items():
        unit = plan.units.pop(code)
        update, more = _diff(unit, system, versions[code], effective_on)
        for row in unit.rows:
            new = tuple(p for p in row.predecessors if (p, code) not in links)
            if new:
                update.links.append(dataclasses.replace(row, predecessors=new))
        if update.changed and permitted is not None and not permitted(system):
            more = [
                RowError(
                    unit.rows[0].number,
                    "code",
                    _("You do not have permission to change unit %(code)s.") % {"code": code},
                )
            ]
        updates[code] = update
        errors.extend(more)
    return updates, errors


def _group_rows(rows: list[Row]) -> tuple[dict[str, FileUnit], list[RowError]]:
    units: dict[str, FileUnit] = {}
    spellings: dict[str, str] = {}
    errors = []
    for row in rows:
        first = spellings.setdefault(row.code.upper(), row.code)
        if first != row.code:
            errors.append(
                RowError(
                    row.number,
                    "code",
                    _("Code %(code)s differs from %(other)s only in upper and lower case; codes must differ.")
                    % {"code": row.code, "other": first},
                )
            )
            continue
        units.setdefault(row.code, FileUnit(row.code)).rows.append(row)
    for unit in units.values():
        unit.rows.sort(key=lambda r: (r.valid_from, r.number))
        errors.extend(_sequence_errors(unit))
        unit.starts = [row.valid_from for row in unit.rows]
    return units, errors


def _sequence_errors(unit: FileUnit) -> list[RowError]:
    errors = []
    for before, after in zip(unit.rows, unit.rows[1:], strict=False):
        if before.valid_to == after.valid_from:
            continue
        values = {"code": unit.code, "row": before.number, "day": day_text(after.valid_from)}
        if before.valid_from == after.valid_from:
            message = _("Unit %(code)s already has a version starting on %(day)s (row %(row)s).") % values
        elif before.valid_to is None or before.valid_to > after.valid_from:
            message = _("This version of %(code)s overlaps the version on row %(row)s.") % values
        else:
            values["end"] = day_text(before.valid_to)
            message = (
                _("Versions of %(code)s must follow one another: row %(row)s ends on %(end)s, not %(day)s.")
                % values
            )
        errors.append(RowError(after.number, "valid_from", message))
    return errors


def _parent_errors(row: Row, plan: Plan, permitted: Permitted | None) -> list[RowError]:
    number, parent = row.number, row.parent
    if not parent:
        if permitted is not None and not permitted(None):
            return [
                RowError(number, "parent_code", _("You do not have permission to import top-level units."))
            ]
        return []
    if parent == row.code:
        return [RowError(number, "parent_code", _("A unit cannot be its own parent."))]
    in_file = plan.units.get(parent)
    if in_file is not None:
        start, end = in_file.start, in_file.end
    else:
        existing = plan.existing.get(parent)
        if existing is None:
            return [
                RowError(
                    number,
                    "parent_code",
                    _("Unknown parent unit %(code)s: it is neither in the file nor in the system.")
                    % {"code": parent},
                )
            ]
        if permitted is not None and not permitted(existing):
            return [
                RowError(
                    number,
                    "parent_code",
                    _("You do not have permission to import units under %(code)s.") % {"code": parent},
                )
            ]
        if existing.valid_to is not None:
            return [
                RowError(
                    number,
                    "parent_code",
                    _("Parent unit %(code)s was dissolved on %(day)s.")
                    % {"code": parent, "day": day_text(existing.valid_to)},
                )
            ]
        start, end = existing.valid_from, None
    if row.valid_from < start:
        message = _("The unit cannot start on %(day)s, before its parent %(parent)s exists (%(start)s).") % {
            "parent": parent,
            "start": day_text(start),
            "day": day_text(row.valid_from),
        }
        return [RowError(number, "valid_from", message)]
    if end is not None and (row.valid_to is None or row.valid_to > end):
        message = _("Parent unit %(parent)s ends on %(end)s, before this version ends.") % {
            "parent": parent,
            "end": day_text(end),
        }
        return [RowError(number, "valid_to", message)]
    return []


def _predecessor_errors(row: Row, plan: Plan, permitted: Permitted | None) -> list[RowError]:
    errors = []
    for code in row.predecessors:
        in_file, existing = plan.units.get(code), plan.existing.get(code)
        values = {"code": code}
        if code == row.code:
            message = _("A unit cannot be its own predecessor.")
        elif in_file is None and existing is None:
            message = _("Unknown predecessor %(code)s: it is neither in the file nor in the system.") % values
        elif in_file is None and permitted is not None and not permitted(existing):
            message = _("You do not have permission to link to unit %(code)s.") % values
        else:
            # One of the two: a code in neither is refused above.
            end = in_file.end if in_file is not None else _end_of(plan, code)
            if end is not None and end <= row.valid_from:
                continue
            message = _("Predecessor %(code)s must end on %(day)s or earlier (its valid_to).") % {
                "code": code,
                "day": day_text(row.valid_from),
            }
        errors.append(RowError(row.number, "predecessors", message))
    return errors


def _end_of(plan: Plan, code: str) -> datetime.date | None:
    """When a unit of the system ends: as the file dissolves it, or as the system has it."""
    update, existing = plan.updates.get(code), plan.existing.get(code)
    if update is not None and update.end is not None:
        return update.end
    return existing.valid_to if existing is not None else None


def _cycle_errors(plan: Plan) -> list[RowError]:
    errors = []
    for unit in plan.units.values():
        for row in unit.rows:
            if row.parent == row.code:
                continue  # reported as "its own parent"
            try:
                plan.depth_on(unit.code, row.valid_from)
            except Cycle as cycle:
                if row.code in cycle.chain:
                    message = _("The units form a cycle: %(chain)s.") % {"chain": " → ".join(cycle.chain)}
                    errors.append(RowError(row.number, "parent_code", message))
    return errors


def check(
    rows: list[Row],
    broken: set[str],
    *,
    permitted: Permitted | None = None,
    effective_on: datetime.date | None = None,
) -> tuple[Plan, list[RowError]]:
    """Check the parsed rows together. `permitted(unit)`: may the importer place units under `unit`?
    `effective_on` (today by default): the day from which a row of a unit in the system changes it when
    the row keeps the date of a version the system has."""
    # Rows of a code with a broken row are left out, and so are references to that code:
    # their errors are already reported and would only echo here.
    units, errors = _group_rows([row for row in rows if row.code not in broken])
    referenced = set(units)
    for row in rows:
        referenced.update(row.predecessors)
        if row.parent:
            referenced.add(row.parent)
    plan = Plan(units=units, existing=_existing_units(referenced - broken), rows=len(rows))
    plan.updates, more = _updates(plan, effective_on or timezone.localdate(), permitted)
    errors.extend(more)
    for unit in plan.units.values():
        for row in unit.rows:
            if row.parent not in broken:
                errors.extend(_parent_errors(row, plan, permitted))
            errors.extend(_predecessor_errors(_without(row, broken), plan, permitted))
    for update in plan.updates.values():
        for _day, before, after in update.changes:
            if after.parent != before.parent and after.parent not in broken:
                errors.extend(_parent_errors(after, plan, permitted))
        for row in update.links:
            errors.extend(_predecessor_errors(_without(row, broken), plan, permitted))
    errors.extend(_cycle_errors(plan))
    return plan, errors


def _without(row: Row, broken: set[str]) -> Row:
    if not broken.intersection(row.predecessors):
        return row
    return dataclasses.replace(row, predecessors=tuple(p for p in row.predecessors if p not in broken))
