"""Checking the parsed rows of a unit file together, before anything is written.

A unit's rows follow one another without gap or overlap; parents and predecessors exist (in the
file or in the system) over the whole of each version; units form no cycle; the importer may
place units where the file puts them (`permitted`). The result is a `Plan`: the file's units and
the units of the system it refers to, with their errors.
"""

import dataclasses
import datetime
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from danvan.core.dates import day_text
from danvan.core.paths import PATH_SEGMENT
from danvan.core.tables import RowError

from ..models import Unit
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
    _depths: dict = field(default_factory=dict)

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


def _taken_codes(codes: Iterable[str]) -> set[str]:
    codes = sorted(set(codes))
    taken: set[str] = set()
    for start in range(0, len(codes), 2000):
        taken.update(Unit.objects.filter(code__in=codes[start : start + 2000]).values_list("code", flat=True))
    return taken


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
            end = in_file.end if in_file is not None else existing.valid_to if existing is not None else None
            if end is not None and end <= row.valid_from:
                continue
            message = _("Predecessor %(code)s must end on %(day)s or earlier (its valid_to).") % {
                "code": code,
                "day": day_text(row.valid_from),
            }
        errors.append(RowError(row.number, "predecessors", message))
    return errors


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
    rows: list[Row], broken: set[str], *, permitted: Permitted | None = None
) -> tuple[Plan, list[RowError]]:
    """Check the parsed rows together. `permitted(unit)`: may the importer place units under `unit`?"""
    # Rows of a code with a broken row are left out, and so are references to that code:
    # their errors are already reported and would only echo here.
    units, errors = _group_rows([row for row in rows if row.code not in broken])
    referenced = set(units)
    for row in rows:
        referenced.update(row.predecessors)
        if row.parent:
            referenced.add(row.parent)
    # Units of the database are loaded only when the file refers to them without defining them.
    plan = Plan(units=units, existing=_existing_units(referenced - set(units) - broken), rows=len(rows))
    for code in sorted(_taken_codes(units), key=lambda c: units[c].rows[0].number):
        first = min(units[code].rows, key=lambda r: r.number)
        errors.append(
            RowError(first.number, "code", _("Code %(code)s already exists in the system.") % {"code": code})
        )
    for unit in units.values():
        for row in unit.rows:
            if row.parent not in broken:
                errors.extend(_parent_errors(row, plan, permitted))
            errors.extend(_predecessor_errors(_without(row, broken), plan, permitted))
    errors.extend(_cycle_errors(plan))
    return plan, errors


def _without(row: Row, broken: set[str]) -> Row:
    if not broken.intersection(row.predecessors):
        return row
    return dataclasses.replace(row, predecessors=tuple(p for p in row.predecessors if p not in broken))
