"""Unit import and export: the file format, checking a file row by row, applying it, writing it out.

Owns UnitImport rows; every change to units goes through services.py.

The format is CSV (UTF-8, with or without BOM) or the first sheet of an XLSX workbook: one header
row naming exactly the columns of `COLUMNS` (in any order), then one row per version of a unit.

- `groups` and `predecessors` hold codes separated by ";"; dates are ISO (YYYY-MM-DD);
- `valid_to` is the first day the row no longer holds (exclusive, like UnitVersion.valid_to);
  empty means still in force;
- rows with the same code are the unit's successive versions (rename, move, regrouping): they
  follow one another without gap or overlap, and the last row's `valid_to`, if any, is the day
  the unit is dissolved;
- `predecessors` on a row: the units this unit succeeds from that row's `valid_from` (a merge
  when there are several, a split when one unit is the predecessor of several); each must have
  ended on that day or earlier.

An import is checked completely before anything is written, then applied through the services
in date order inside one transaction: any error, found while checking or raised by a service,
rejects the whole file and nothing is saved.

An export writes one row per version: a unit's rows are cut wherever something in the file or
the unit's position in the tree changes, and where a predecessor joins it, so that importing the
file into an empty database and exporting again gives the same rows (versions that differ only in
what the file does not hold, the short name, come out as one row). With a date, an export is a
snapshot instead: one row per unit in force that day, without predecessors.

Blank rows are skipped; reading stops after `BLANK_RUN_END` blank rows in a row (spreadsheets keep
formatted empty rows to the end of the sheet), and a file is refused when a row comes after row
`MAX_ROWS` + 1, blank rows counted. An XLSX sheet is read only in the columns of its header row (plus
a few, to report cells beyond it), whatever size the sheet declares.

A CSV cell that a spreadsheet would run as a formula (starting with = + - @) is written with a "'"
before it, which the import takes off again; in XLSX such a value is stored as text.
"""

import csv
import dataclasses
import datetime
import io
import re
import zipfile
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core.dates import day_text
from danvan.core.paths import PATH_SEGMENT

from . import services
from .models import Unit, UnitGroup, UnitImport, UnitLink, UnitType, UnitVersion
from .selectors import versions_on

COLUMNS = ("code", "name", "parent_code", "type", "groups", "valid_from", "valid_to", "predecessors")
MAX_ROWS = 300_000
BLANK_RUN_END = 1000  # reading stops after this many blank rows in a row
XLSX_HEADER_COLUMNS = 64  # the header row of a workbook is looked for in these columns
XLSX_SPARE_COLUMNS = 8  # data rows are read this far past the header, to report cells beyond it
MAX_STORED_ERRORS = 1000
UNPACKED_FACTOR = 10  # an XLSX may unpack to at most this many times the upload limit
LIST_SEPARATOR = ";"
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
XLSX_WIDTHS = (18, 60, 18, 14, 32, 13, 13, 28)

# A spreadsheet runs a cell starting with one of these as a formula: CSV cells get a "'" before them.
_FORMULA_START = ("=", "+", "-", "@")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Service field names -> file columns, to point a service's error at the right cell.
_SERVICE_FIELDS = {
    "code": "code",
    "name": "name",
    "parent": "parent_code",
    "unit_type": "type",
    "groups": "groups",
}

Permitted = Callable[[Unit | None], bool]


# --- errors -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem with the file: a row (numbered as a spreadsheet numbers it) and a column when known."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row and self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class FileRejected(Exception):
    """The file cannot be read at all (empty, too large, not CSV/XLSX, malformed)."""

    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.error = RowError(row, None, message)


class _Rejected(Exception):
    """Raised inside the import transaction to roll everything back."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


class _DryRun(Exception):
    """Raised at the end of a dry run to roll back a successful import."""


# --- reading the file -------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> list[tuple[int, list]]:
    """The file's non-blank rows as (row number, cells), header first. Raises FileRejected."""
    limit = settings.UNIT_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise FileRejected(_("The file is larger than %(size)s.") % {"size": filesizeformat(limit)})
    if not data.strip():
        raise FileRejected(_("The file is empty."))
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        source = _xlsx_rows(data, limit * UNPACKED_FACTOR)
    elif suffix == ".csv":
        source = _csv_rows(data)
    else:
        raise FileRejected(_("Choose a .csv or .xlsx file."))
    rows: list[tuple[int, list]] = []
    blank_run = 0
    # `source` gives every row read, blank ones included, numbered from 1: reading is bounded by
    # MAX_ROWS + BLANK_RUN_END rows whatever the file holds.
    with closing(source):
        for number, cells in source:
            if _blank(cells):
                blank_run += 1
                if blank_run >= BLANK_RUN_END:
                    break
                continue
            blank_run = 0
            if number > MAX_ROWS + 1:  # the header row and MAX_ROWS rows, blank ones counted
                raise FileRejected(
                    _("The file has more than %(count)s rows; split it into several files.")
                    % {"count": number_format(MAX_ROWS, force_grouping=True)}
                )
            rows.append((number, cells))
    if not rows:
        raise FileRejected(_("The file is empty."))
    return rows


def _blank(cells) -> bool:
    return all(_text(cell) == "" for cell in cells)


def _csv_rows(data: bytes) -> Iterator[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected(_("The CSV file is not UTF-8 text: save it as “CSV UTF-8”.")) from None
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to Vietnamese (decimal comma) save CSV with ";" between cells.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [_unquoted(cell) for cell in cells]
    except csv.Error:
        raise FileRejected(
            _("The CSV file is malformed: check the quotation marks and the separators."), row=number + 1
        ) from None


def _looks_like_formula(value: str) -> bool:
    return value.lstrip("'")[:1] in _FORMULA_START


def _quoted(value: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula; `_unquoted` gives the value back."""
    return "'" + value if _looks_like_formula(value) else value


def _unquoted(value: str) -> str:
    return value[1:] if value[:1] == "'" and _looks_like_formula(value[1:]) else value


def _xlsx_rows(data: bytes, unpacked_limit: int) -> Iterator[tuple[int, list]]:
    import openpyxl

    not_xlsx = _("The file is not a valid XLSX workbook.")
    if not data.startswith(b"PK\x03\x04"):
        raise FileRejected(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRejected(not_xlsx) from None
    if unpacked > unpacked_limit:
        raise FileRejected(_("The workbook is too large once unpacked."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # an uploaded file may break the reader in any way
        raise FileRejected(not_xlsx) from None
    try:
        sheet = workbook.worksheets[0]
        # The size a sheet declares may be wrong, or huge on purpose (A1:XFD1048576 in a 10 KB file):
        # forget it, read the rows the sheet holds and only the columns the header row needs.
        sheet.reset_dimensions()
        header = None
        rows = sheet.iter_rows(max_col=XLSX_HEADER_COLUMNS, values_only=True)
        for number, cells in enumerate(rows, start=1):
            yield number, list(cells)
            if not _blank(cells):
                header = number
                width = max(index for index, cell in enumerate(cells) if _text(cell)) + 1
                break
        if header is None:
            return
        rows = sheet.iter_rows(min_row=header + 1, max_col=width + XLSX_SPARE_COLUMNS, values_only=True)
        for number, cells in enumerate(rows, start=header + 1):
            yield number, list(cells)
    except Exception:  # an uploaded file may break the reader in any way
        raise FileRejected(not_xlsx) from None
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _codes(value) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in _text(value).split(LIST_SEPARATOR) if part.strip()))


# --- parsing rows -----------------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    """One row of the file: a version of a unit."""

    number: int
    code: str
    name: str
    parent: str
    type_code: str
    groups: tuple[str, ...]
    valid_from: datetime.date
    valid_to: datetime.date | None
    predecessors: tuple[str, ...]


@dataclass
class _Catalogue:
    types: dict[str, UnitType]
    groups: dict[str, UnitGroup]

    @classmethod
    def load(cls) -> "_Catalogue":
        return cls({t.code: t for t in UnitType.objects.all()}, {g.code: g for g in UnitGroup.objects.all()})

    def type_code(self, value: str) -> str | None:
        return next((code for code in (value, value.lower()) if code in self.types), None)

    def group_code(self, value: str) -> str | None:
        return next((code for code in (value, value.lower()) if code in self.groups), None)


def _header(number: int, cells: list) -> tuple[dict[str, int], list[RowError]]:
    names = [_text(cell) for cell in cells]
    positions: dict[str, int] = {}
    errors = []
    for index, name in enumerate(names):
        if not name:
            continue
        if name not in COLUMNS:
            errors.append(
                RowError(
                    number,
                    name,
                    _("Unknown column; the columns are: %(columns)s.") % {"columns": ", ".join(COLUMNS)},
                )
            )
        elif name in positions:
            errors.append(RowError(number, name, _("The column appears twice in the header row.")))
        else:
            positions[name] = index
    errors.extend(
        RowError(number, column, _("The column is missing from the header row."))
        for column in COLUMNS
        if column not in positions
    )
    return positions, errors


def _parse_date(value, column: str, number: int, errors: list[RowError]) -> datetime.date | None:
    if isinstance(value, datetime.datetime):  # a date cell of a workbook
        return value.date()
    text = _text(value)
    if not text:
        return None
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        return datetime.date.fromisoformat(text)
    except ValueError:
        errors.append(
            RowError(
                number,
                column,
                _("“%(value)s” is not a date: write it as YYYY-MM-DD (for example 2025-03-01).")
                % {"value": text},
            )
        )
        return None


def _parse_row(number: int, cells: list, positions: dict[str, int], catalogue: _Catalogue):
    """(Row or None, errors) for one data row."""
    width = max(positions.values()) + 1
    errors: list[RowError] = []
    if any(_text(cell) for cell in cells[width:]):
        errors.append(RowError(number, None, _("The row has more cells than the header row has columns.")))
    cells = list(cells[:width]) + [None] * (width - len(cells))
    raw = {column: cells[index] for column, index in positions.items()}
    text = {column: _text(value) for column, value in raw.items()}
    for column in COLUMNS:
        if _CONTROL.search(text[column]):
            errors.append(RowError(number, column, _("The cell contains control characters.")))
    code, name = text["code"], text["name"]
    if not code:
        errors.append(RowError(number, "code", _("Enter the unit's code.")))
    elif not services.CODE_RE.match(code):
        errors.append(
            RowError(
                number, "code", _("A code may hold only letters, digits, “.”, “_” and “-” (at most 64).")
            ),
        )
    if not name:
        errors.append(RowError(number, "name", _("Enter the unit's name.")))
    elif len(name) > 255:
        errors.append(RowError(number, "name", _("The name is longer than 255 characters.")))
    type_code = catalogue.type_code(text["type"])
    if not text["type"]:
        errors.append(RowError(number, "type", _("Enter the unit type.")))
    elif type_code is None:
        errors.append(
            RowError(
                number,
                "type",
                _("Unknown unit type “%(code)s”; the types are: %(known)s.")
                % {"code": text["type"], "known": ", ".join(catalogue.types)},
            )
        )
    groups = []
    for value in _codes(text["groups"]):
        group_code = catalogue.group_code(value)
        if group_code is None:
            errors.append(
                RowError(
                    number,
                    "groups",
                    _("Unknown unit group “%(code)s”; the groups are: %(known)s.")
                    % {"code": value, "known": ", ".join(catalogue.groups)},
                )
            )
        else:
            groups.append(group_code)
    valid_from = _parse_date(raw["valid_from"], "valid_from", number, errors)
    valid_to = _parse_date(raw["valid_to"], "valid_to", number, errors)
    if not text["valid_from"]:
        errors.append(RowError(number, "valid_from", _("Enter the day the row takes effect (YYYY-MM-DD).")))
    if valid_from and valid_to and valid_to <= valid_from:
        errors.append(
            RowError(
                number,
                "valid_to",
                _("valid_to must be later than valid_from (it is the first day the row no longer holds)."),
            )
        )
    if errors:
        return None, errors
    row = Row(
        number=number,
        code=code,
        name=name,
        parent=text["parent_code"],
        type_code=type_code,
        groups=tuple(sorted(set(groups))),
        valid_from=valid_from,
        valid_to=valid_to,
        predecessors=_codes(text["predecessors"]),
    )
    return row, []


def parse(table: list[tuple[int, list]], catalogue: _Catalogue) -> tuple[list[Row], list[RowError], set[str]]:
    """Rows that parsed, the errors, and the codes of rows that did not parse."""
    header_number, header_cells = table[0]
    positions, errors = _header(header_number, header_cells)
    if errors:
        return [], errors, set()
    if len(table) == 1:
        return [], [RowError(None, None, _("The file has a header row but no units."))], set()
    rows, broken = [], set()
    for number, cells in table[1:]:
        row, row_errors = _parse_row(number, cells, positions, catalogue)
        if row is None:
            errors.extend(row_errors)
            code = _text(cells[positions["code"]]) if positions["code"] < len(cells) else ""
            if code:
                broken.add(code)
        else:
            rows.append(row)
    return rows, errors, broken


# --- checking the rows together ---------------------------------------------------------------


@dataclass
class _FileUnit:
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


class _Cycle(Exception):
    def __init__(self, chain: list[str]):
        super().__init__(chain)
        self.chain = chain


@dataclass
class Plan:
    """A checked file: its units, and the units of the database it refers to."""

    units: dict[str, _FileUnit]
    existing: dict[str, Unit]
    rows: int
    _depths: dict = field(default_factory=dict)

    def depth_on(self, code: str, day: datetime.date) -> int:
        """The depth of a unit of the file on `day`, following parents in the file; raises _Cycle."""
        chain: list[str] = []
        current = code
        while True:
            known = self._depths.get((current, day))
            if known is not None:
                base = known
                break
            if current in chain:
                raise _Cycle([*chain[chain.index(current) :], current])
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


def _group_rows(rows: list[Row]) -> tuple[dict[str, _FileUnit], list[RowError]]:
    units: dict[str, _FileUnit] = {}
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
        units.setdefault(row.code, _FileUnit(row.code)).rows.append(row)
    for unit in units.values():
        unit.rows.sort(key=lambda r: (r.valid_from, r.number))
        errors.extend(_sequence_errors(unit))
        unit.starts = [row.valid_from for row in unit.rows]
    return units, errors


def _sequence_errors(unit: _FileUnit) -> list[RowError]:
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
            end = in_file.end if in_file is not None else existing.valid_to
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
            except _Cycle as cycle:
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


# --- applying a checked file ------------------------------------------------------------------


class _Applier:
    """Replays a checked plan through the services, date by date."""

    def __init__(self, plan: Plan, catalogue: _Catalogue, by):
        self.plan, self.catalogue, self.by = plan, catalogue, by
        self.ids = {code: unit.id for code, unit in plan.existing.items()}
        self.counts = {"units": 0, "changes": 0, "moves": 0, "dissolutions": 0, "links": 0}

    def unit(self, code: str) -> Unit:
        # Fetched afresh each time: a move re-paths other units, and services read the mirror.
        return Unit.objects.get(pk=self.ids[code])

    def call(self, row: Row, function, **kwargs):
        try:
            return function(**kwargs)
        except ValidationError as exc:
            raise _Rejected(_service_errors(row, exc)) from None

    def run(self) -> dict:
        events = defaultdict(lambda: {"create": [], "change": [], "end": []})
        for unit in self.plan.units.values():
            events[unit.start]["create"].append(unit)
            for before, after in zip(unit.rows, unit.rows[1:], strict=False):
                events[after.valid_from]["change"].append((unit, before, after))
            if unit.end is not None:
                events[unit.end]["end"].append(unit)
        for day in sorted(events):
            self.apply_day(day, events[day])
        self.link_predecessors()
        return self.counts

    def apply_day(self, day: datetime.date, todo: dict) -> None:
        depth = self.plan.depth_on
        for unit in sorted(todo["create"], key=lambda u: (depth(u.code, day), u.code)):
            self.create(unit.rows[0])
        changes = sorted(todo["change"], key=lambda item: (depth(item[0].code, day), item[0].code))
        for _unit, before, after in changes:
            self.change(before, after)
        for _unit, before, after in changes:
            if before.parent != after.parent:
                self.call(
                    after,
                    services.unit_move,
                    unit=self.unit(after.code),
                    new_parent=self.parent(after),
                    effective_on=day,
                    by=self.by,
                )
                self.counts["moves"] += 1
        eve = day - datetime.timedelta(days=1)
        for unit in sorted(todo["end"], key=lambda u: (-depth(u.code, eve), u.code)):
            row = unit.rows[-1]
            self.call(row, services.unit_dissolve, unit=self.unit(unit.code), effective_on=day, by=self.by)
            self.counts["dissolutions"] += 1

    def parent(self, row: Row) -> Unit | None:
        return self.unit(row.parent) if row.parent else None

    def create(self, row: Row) -> None:
        spec = services.NewUnit(
            code=row.code,
            name=row.name,
            unit_type=self.catalogue.types[row.type_code],
            parent=self.parent(row),
            groups=[self.catalogue.groups[g] for g in row.groups],
        )
        unit = self.call(row, services.unit_create, spec=spec, valid_from=row.valid_from, by=self.by)
        self.ids[row.code] = unit.id
        self.counts["units"] += 1

    def change(self, before: Row, after: Row) -> None:
        changes = {}
        if after.name != before.name:
            changes["name"] = after.name
        if after.type_code != before.type_code:
            changes["unit_type"] = self.catalogue.types[after.type_code]
        if after.groups != before.groups:
            changes["groups"] = [self.catalogue.groups[g] for g in after.groups]
        if changes:
            self.call(
                after,
                services.unit_change,
                unit=self.unit(after.code),
                effective_on=after.valid_from,
                by=self.by,
                **changes,
            )
            self.counts["changes"] += 1

    def _link_kinds(self) -> Callable[[str, str], str]:
        """kind(predecessor, successor): merge when 2+ units became one, split when one became 2+."""
        predecessors_of, successors_of = defaultdict(set), defaultdict(set)
        for unit in self.plan.units.values():
            for row in unit.rows:
                for code in row.predecessors:
                    predecessors_of[row.code].add(code)
                    successors_of[code].add(row.code)

        def kind(predecessor: str, successor: str) -> str:
            if len(predecessors_of[successor]) > 1:
                return UnitLink.Kind.MERGE
            if len(successors_of[predecessor]) > 1:
                return UnitLink.Kind.SPLIT
            return UnitLink.Kind.SUCCESSION

        return kind

    def link_predecessors(self) -> None:
        linked = set()
        kind = self._link_kinds()
        for unit in self.plan.units.values():
            for row in unit.rows:
                codes = [code for code in row.predecessors if (code, row.code) not in linked]
                linked.update((code, row.code) for code in codes)
                if codes:
                    predecessors = [self.unit(code) for code in codes]
                    self.call(
                        row,
                        services.unit_link_predecessors,
                        successor=self.unit(row.code),
                        predecessors=predecessors,
                        effective_on=row.valid_from,
                        kind=kind(codes[0], row.code),
                    )
                    self.counts["links"] += len(predecessors)


def _service_errors(row: Row, exc: ValidationError) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [
            RowError(row.number, _SERVICE_FIELDS.get(name), message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [RowError(row.number, None, message) for message in exc.messages]


# --- the import as a whole --------------------------------------------------------------------


@dataclass
class ImportResult:
    errors: list[RowError]
    summary: dict

    @property
    def ok(self) -> bool:
        return not self.errors


def import_file(
    *,
    data: bytes,
    filename: str,
    permitted: Permitted | None = None,
    by=None,
    dry_run: bool = False,
    job: UnitImport | None = None,
) -> ImportResult:
    """Check the file and, when every row is right, apply it in one transaction, and audit it.

    `permitted(unit)` says whether the importer may place units under `unit` (None: at the top);
    leave it out for administrators' commands. With `dry_run` the import runs and is rolled back.
    `job`: the UnitImport the file came with, named in the audit log.
    """
    try:
        table = read_table(data, filename)
    except FileRejected as exc:
        return ImportResult([exc.error], {})
    catalogue = _Catalogue.load()
    rows, errors, broken = parse(table, catalogue)
    summary = {"rows": len(table) - 1, "dry_run": dry_run}
    del table, data  # the raw cells are no longer needed; a big file holds a lot of them
    if rows:
        plan, more = check(rows, broken, permitted=permitted)
        errors.extend(more)
        summary["units_in_file"] = len(plan.units)
    if errors:
        return ImportResult(sorted(errors, key=_error_order), summary)
    try:
        with transaction.atomic():
            summary.update(_Applier(plan, catalogue, by).run())
            if dry_run:
                raise _DryRun
            record(
                action=AuditEvent.Action.IMPORT,
                instance=job,
                model=Unit._meta.label_lower if job is None else "",
                object_repr=filename,
                changes=summary,
            )
    except _DryRun:
        pass
    except _Rejected as exc:
        return ImportResult(exc.errors, summary)
    except IntegrityError:
        return ImportResult(
            [RowError(None, None, _("The database refused the import; nothing was saved."))], summary
        )
    return ImportResult([], summary)


def _error_order(error: RowError) -> tuple:
    column = COLUMNS.index(error.column) if error.column in COLUMNS else -1
    return (error.row or 0, column)


def summary_text(summary: dict) -> str:
    """One line saying what an import did (or would do, for a dry run)."""
    values = {
        key: number_format(summary.get(key, 0), force_grouping=True)
        for key in ("rows", "units", "changes", "moves", "dissolutions", "links")
    }
    text = (
        _(
            "%(rows)s rows: %(units)s units created, %(changes)s renamed or regrouped, %(moves)s moves, "
            "%(dissolutions)s dissolved, %(links)s predecessor links."
        )
        % values
    )
    if summary.get("dry_run"):
        return _("Dry run, nothing saved. %(summary)s") % {"summary": text}
    return text


def import_job_create(*, upload, by, language: str) -> UnitImport:
    """Keep an uploaded file as a pending import (the task `tasks.import_units` runs it)."""
    return UnitImport.objects.create(
        file=upload,
        original_name=Path(upload.name).name[:255],
        created_by=by,
        summary={"language": language},
    )


def import_job_run(*, job: UnitImport, permitted: Permitted) -> UnitImport:
    """Run a pending import and store its outcome on the job."""
    language = job.summary.get("language") or settings.LANGUAGE_CODE
    with override(language):
        try:
            with job.file.open("rb") as handle:
                data = handle.read(settings.UNIT_IMPORT_MAX_BYTES + 1)
        except OSError:
            result = ImportResult([RowError(None, None, _("The uploaded file can no longer be read."))], {})
        else:
            result = import_file(
                data=data, filename=job.original_name, permitted=permitted, by=job.created_by, job=job
            )
        job.summary = {**result.summary, "language": language, "error_count": len(result.errors)}
        job.errors = [error.as_dict() for error in result.errors[:MAX_STORED_ERRORS]]
        job.status = UnitImport.Status.DONE if result.ok else UnitImport.Status.FAILED
        job.finished_at = timezone.now()
        job.save(update_fields=["summary", "errors", "status", "finished_at"])
    return job


# --- export -----------------------------------------------------------------------------------


@dataclass
class _Segment:
    start: datetime.date
    end: datetime.date | None
    key: tuple
    predecessors: list[str] = field(default_factory=list)

    def contains(self, day: datetime.date) -> bool:
        return self.start < day and (self.end is None or day < self.end)


def _scoped(qs: QuerySet, units: QuerySet[Unit] | None, field_name: str = "unit") -> QuerySet:
    return qs if units is None else qs.filter(**{f"{field_name}__in": units})


def _groups_by_version(
    units: QuerySet[Unit] | None, versions: QuerySet | None = None
) -> dict[int, list[str]]:
    through = UnitVersion.groups.through.objects.all()
    through = _scoped(through, units, "unitversion__unit")
    if versions is not None:
        through = through.filter(unitversion__in=versions)
    found: dict[int, list[str]] = defaultdict(list)
    for version_id, code in through.values_list("unitversion_id", "unitgroup__code").iterator(
        chunk_size=5000
    ):
        found[version_id].append(code)
    return found


def _version_rows(units: QuerySet[Unit] | None):
    fields = (
        "id",
        "unit_id",
        "unit__code",
        "name",
        "parent__code",
        "unit_type__code",
        "path",
        "depth",
        "valid_from",
        "valid_to",
    )
    qs = _scoped(UnitVersion.objects.all(), units).order_by("unit_id", "valid_from").values_list(*fields)
    return qs.iterator(chunk_size=5000)


def _unit_segments(versions: list[tuple], groups: dict[int, list[str]], links: list[tuple]) -> list[_Segment]:
    segments: list[_Segment] = []
    for version_id, *_ids, name, parent, type_code, path, _depth, start, end in versions:
        key = (name, parent or "", type_code, ";".join(sorted(groups.get(version_id, ()))), path)
        last = segments[-1] if segments else None
        if last is not None and last.end == start and last.key == key:
            last.end = end
        else:
            segments.append(_Segment(start, end, key))
    for day, _code in links:
        for index, segment in enumerate(segments):
            if segment.contains(day):
                segments[index : index + 1] = [
                    _Segment(segment.start, day, segment.key),
                    _Segment(day, segment.end, segment.key),
                ]
                break
    for day, code in links:
        target = next((s for s in segments if s.start == day), None)
        target = target or next((s for s in segments if s.contains(day)), None)
        target = target or (segments[0] if day < segments[0].start else segments[-1])
        target.predecessors.append(code)
    return segments


def export_table(
    *, units: QuerySet[Unit] | None = None, as_of: datetime.date | None = None
) -> list[list[str]]:
    """The rows of an export (without the header) of `units` (all when None).

    Every version by default; with `as_of`, one row per unit in force that day (a snapshot).
    """
    if as_of is not None:
        return _snapshot_rows(units, as_of)
    groups = _groups_by_version(units)
    links: dict[int, list[tuple]] = defaultdict(list)
    link_qs = _scoped(_scoped(UnitLink.objects.all(), units, "successor"), units, "predecessor")
    for successor_id, code, day in link_qs.values_list("successor_id", "predecessor__code", "effective_on"):
        links[successor_id].append((day, code))
    by_unit: dict[int, list[tuple]] = defaultdict(list)
    for version in _version_rows(units):
        by_unit[version[1]].append(version)
    ordered = sorted(by_unit.values(), key=lambda vs: (vs[0][8], vs[0][7], vs[0][2]))
    table = []
    for versions in ordered:
        code = versions[0][2]
        for segment in _unit_segments(versions, groups, sorted(links.get(versions[0][1], ()))):
            name, parent, type_code, group_codes, _path = segment.key
            table.append(
                [
                    code,
                    name,
                    parent,
                    type_code,
                    group_codes,
                    segment.start.isoformat(),
                    segment.end.isoformat() if segment.end else "",
                    LIST_SEPARATOR.join(sorted(segment.predecessors)),
                ]
            )
    return table


def _snapshot_rows(units: QuerySet[Unit] | None, day: datetime.date) -> list[list[str]]:
    versions = _scoped(versions_on(day), units)
    groups = _groups_by_version(units, versions)
    fields = ("id", "unit__code", "name", "parent__code", "unit_type__code", "valid_from", "valid_to")
    table = []
    for version_id, code, name, parent, type_code, start, end in versions.order_by("path").values_list(
        *fields
    ):
        table.append(
            [
                code,
                name,
                parent or "",
                type_code,
                LIST_SEPARATOR.join(sorted(groups.get(version_id, ()))),
                start.isoformat(),
                end.isoformat() if end else "",
                "",
            ]
        )
    return table


def render_csv(table: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([_quoted(value) for value in row] for row in table)
    # The BOM makes spreadsheet programs read the Vietnamese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_xlsx(table: list[list[str]]) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Units")[:31])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table:
        sheet.append([_text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet, value: str):
    """Text stays text: openpyxl would store "=…" as a formula."""
    if not value:
        return None
    if value[:1] not in _FORMULA_START:
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


@dataclass
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    rows: int


def units_export(
    *, units: QuerySet[Unit] | None = None, as_of: datetime.date | None = None, fmt: str = "csv"
) -> ExportFile:
    """Export `units` (already narrowed to what the user may export; None = all) and audit it."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    table = export_table(units=units, as_of=as_of)
    content = render_xlsx(table) if fmt == "xlsx" else render_csv(table)
    stem = f"don-vi-{as_of.isoformat()}" if as_of else "don-vi"
    record(
        action=AuditEvent.Action.EXPORT,
        model=Unit._meta.label_lower,
        object_repr=_("Unit export (%(count)s rows)") % {"count": len(table)},
        changes={"format": fmt, "as_of": as_of.isoformat() if as_of else None, "rows": len(table)},
    )
    return ExportFile(content, f"{stem}.{fmt}", FORMATS[fmt], len(table))
