"""The unit file: its columns, reading it, and parsing each row on its own.

A row parses into a `Row` or into errors naming its row and column; rows are checked together
afterwards (plan.py). Codes are looked up case-insensitively in the catalogue of unit types and
groups, or by their Vietnamese names as the export and the catalogue page write them ("Chi bộ"),
ignoring case and accents; dates are dd/mm/yyyy or ISO (YYYY-MM-DD) text, or date cells of a workbook.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from danvan.core import tables, uploads
from danvan.core.dates import INPUT_FORMATS
from danvan.core.tables import FileRejected, RowError, cell_text
from danvan.core.text import search_key

from .. import services
from ..models import UnitGroup, UnitType

COLUMNS = ("code", "name", "parent_code", "type", "groups", "valid_from", "valid_to", "predecessors")
LIST_SEPARATOR = ";"

_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{1,2}[/-]\d{1,2}[/-]\d{4})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Table = list[tuple[int, list]]


def read(checked: uploads.Checked) -> Table:
    """The checked file's non-blank rows as (row number, cells), header first. Raises FileRejected."""
    return tables.read_table(checked)


def codes(value) -> tuple[str, ...]:
    """The codes of a list cell ("a; b;a" -> ("a", "b")), in order, each once."""
    return tuple(
        dict.fromkeys(part.strip() for part in cell_text(value).split(LIST_SEPARATOR) if part.strip())
    )


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
class Catalogue:
    types: dict[str, UnitType]
    groups: dict[str, UnitGroup]

    @classmethod
    def load(cls) -> "Catalogue":
        return cls({t.code: t for t in UnitType.objects.all()}, {g.code: g for g in UnitGroup.objects.all()})

    def type_code(self, value: str) -> str | None:
        return _lookup(value, self.types)

    def group_code(self, value: str) -> str | None:
        return _lookup(value, self.groups)


def _lookup(value: str, known: dict[str, UnitType] | dict[str, UnitGroup]) -> str | None:
    """The code written as `value`: the code itself (any case) or the Vietnamese name (any case, any accents)."""
    for code in (value, value.lower()):
        if code in known:
            return code
    wanted = search_key(value)
    return (
        next((code for code, item in known.items() if search_key(item.name) == wanted), None)
        if wanted
        else None
    )


def _parse_date(value, column: str, number: int, errors: list[RowError]) -> datetime.date | None:
    if isinstance(value, datetime.datetime):  # a date cell of a workbook
        return value.date()
    text = cell_text(value)
    if not text:
        return None
    if _DATE.match(text):
        for pattern in INPUT_FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
    errors.append(
        RowError(
            number,
            column,
            _("“%(value)s” is not a date: write it as dd/mm/yyyy (for example 01/03/2025) or YYYY-MM-DD.")
            % {"value": text},
        )
    )
    return None


def _parse_row(number: int, cells: list, header: tables.Header, catalogue: Catalogue):
    """(Row or None, errors) for one data row."""
    errors: list[RowError] = []
    if header.overflows(cells):
        errors.append(RowError(number, None, _("The row has more cells than the header row has columns.")))
    raw = header.values(cells)
    text = {column: cell_text(value) for column, value in raw.items()}
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
    for value in codes(text["groups"]):
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
        errors.append(RowError(number, "valid_from", _("Enter the day the row takes effect (dd/mm/yyyy).")))
    if valid_from and valid_to and valid_to <= valid_from:
        errors.append(
            RowError(
                number,
                "valid_to",
                _("valid_to must be later than valid_from (it is the first day the row no longer holds)."),
            )
        )
    if errors or type_code is None or valid_from is None:  # each of these has its error above
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
        predecessors=codes(text["predecessors"]),
    )
    return row, []


def parse(table: Table, catalogue: Catalogue) -> tuple[list[Row], list[RowError], set[str]]:
    """Rows that parsed, the errors, and the codes of rows that did not parse."""
    try:
        header = tables.map_header(*table[0], required=COLUMNS)
    except FileRejected as rejected:
        return [], rejected.errors, set()
    if len(table) == 1:
        return [], [RowError(None, None, _("The file has a header row but no units."))], set()
    rows, errors, broken = [], [], set()
    for number, cells in table[1:]:
        row, row_errors = _parse_row(number, cells, header, catalogue)
        if row is None:
            errors.extend(row_errors)
            code = cell_text(header.values(cells)["code"])
            if code:
                broken.add(code)
        else:
            rows.append(row)
    return rows, errors, broken
