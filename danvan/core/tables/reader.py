"""Reading an uploaded CSV or XLSX table, bounded whatever the file holds or claims.

An upload is checked first by the one upload checker (`check_upload`: `core.uploads.check` with
the spreadsheet rules of `upload_rules`): its size (`settings.UNIT_IMPORT_MAX_BYTES`, the limit of
every table upload), its type read from the content and agreeing with its name, and for a workbook
a real XLSX package without macros that unpacks to at most `UNPACKED_FACTOR` times the size limit
(read from its central directory, before anything is parsed). Its refusals are told in the words
of the readers below. The readers then take the checked content (`uploads.Checked`):

- CSV: UTF-8 with or without a BOM; cells separated by "," or by ";" (spreadsheets set to
  Vietnamese, with a decimal comma, save CSV that way); every cell unescaped (cells.unescape).
- XLSX: the first sheet, read-only, values rather than formulas. The size a sheet declares may be
  wrong, or huge on purpose (A1:XFD1048576 in a 10 KB file): it is ignored; the rows the sheet
  holds are read, and only the columns of the header row (plus `XLSX_SPARE_COLUMNS`, to report
  cells beyond it). Cells keep their types (numbers, dates). A sheet whose every cell names its place
  and that stays within CALAMINE_MAX_COLUMNS columns and CALAMINE_MAX_CELLS cells (checked on its XML
  first) is read by python-calamine, several times faster (250,000 rows in seconds), its values given
  as openpyxl gives them; any other workbook by openpyxl, read-only, as above.

Reading stops after `BLANK_RUN_END` blank rows in a row (spreadsheets keep formatted empty rows to
the end of the sheet); a file with a row after row `MAX_ROWS` + 1, blank rows counted, is refused.

Problems are told in the interface language, naming the row and the column when known:
`FileRejected` when the file cannot be read at all, `RowError` for one row or cell.
`map_header` finds the named columns of the header row.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Generator, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from danvan.core import uploads

from .cells import cell_text, unescape

MAX_ROWS = 300_000
BLANK_RUN_END = 1000  # reading stops after this many blank rows in a row
XLSX_HEADER_COLUMNS = 64  # the header row of a workbook is looked for in these columns
XLSX_SPARE_COLUMNS = 8  # data rows are read this far past the header, to report cells beyond it
UNPACKED_FACTOR = 10  # a workbook may unpack to at most this many times the upload limit
TABLE_KINDS = (uploads.CSV, uploads.XLSX)

Cells = list[Any]


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem with a file: a row (numbered as a spreadsheet numbers it) and a column when known."""

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
    """The file cannot be read at all (empty, too large, not CSV/XLSX, malformed, a wrong header).

    `errors` holds one RowError, or one per column for a header with several problems;
    `error` is the first. `code` is the upload checker's code when it refused the file.
    """

    def __init__(self, message: str | list[RowError], row: int | None = None, *, code: str | None = None):
        self.errors = list(message) if isinstance(message, list) else [RowError(row, None, message)]
        self.code = code
        super().__init__(message if isinstance(message, str) else "\n".join(map(str, self.errors)))

    @property
    def error(self) -> RowError:
        return self.errors[0]


# --- the file as a whole ----------------------------------------------------------------------


def upload_rules(
    kinds: tuple[uploads.Kind, ...] = TABLE_KINDS, *, max_bytes: int | None = None
) -> uploads.Rules:
    """What a table upload may be: `kinds`, at most `max_bytes` (settings.UNIT_IMPORT_MAX_BYTES, read
    at each call), a workbook unpacking to at most UNPACKED_FACTOR times that."""
    limit = settings.UNIT_IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    return uploads.Rules(kinds, max_file_bytes=limit, max_unpacked_bytes=UNPACKED_FACTOR * limit)


def check_upload(
    file,
    *,
    name: str | None = None,
    kinds: tuple[uploads.Kind, ...] = TABLE_KINDS,
    max_bytes: int | None = None,
    choose: str | None = None,
) -> uploads.Checked:
    """An uploaded table (a django File, or bytes with `name`) through `core.uploads.check` with the
    table rules (`upload_rules`). Raises FileRejected (with the checker's `code`).

    The refusals are told as the readers tell them ("The file is larger than 20 MB.", "The file is not
    a valid XLSX workbook." …); `choose` replaces "Choose a .csv or .xlsx file." for a name that is
    none of `kinds`. Macros and files valid as two types keep the checker's message.
    """
    rules = upload_rules(kinds, max_bytes=max_bytes)
    try:
        return uploads.check(file, rules, name=name)
    except ValidationError as error:
        sent = name if name is not None else getattr(file, "name", "")
        raise FileRejected(_refusal(error, sent or "", rules, choose), code=error.code) from None


def _refusal(error: ValidationError, name: str, rules: uploads.Rules, choose: str | None) -> str:
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    named_as = next((kind for kind in rules.kinds if extension in kind.extensions), None)
    if error.code == "too_big":
        return _("The file is larger than %(size)s.") % {"size": filesizeformat(rules.max_file_bytes)}
    if error.code == "empty":
        return _("The file is empty.")
    if error.code == "unpacks":
        return _("The workbook is too large once unpacked.")
    if error.code in ("type", "extension", "damaged"):
        if named_as is None:  # the name is none of the accepted kinds: ask for one
            if choose is not None:
                return choose
            if rules.kinds == TABLE_KINDS:
                return _("Choose a .csv or .xlsx file.")
        elif named_as is uploads.XLSX:  # named as a workbook, but not one
            return _("The file is not a valid XLSX workbook.")
        elif error.code == "type":  # named .csv, but not text: another encoding, most likely
            return _("The CSV file is not UTF-8 text: save it as “CSV UTF-8”.")
    return error.messages[0]


def read_table(checked: uploads.Checked) -> list[tuple[int, Cells]]:
    """The non-blank rows of a checked table (`check_upload`) as (row number, cells), header first.

    Raises FileRejected. The format is the one read from the content (CSV or XLSX).
    """
    if checked.kind is uploads.XLSX:
        source = _xlsx_rows(checked)
    elif checked.kind is uploads.CSV:
        source = _csv_rows(checked.content)
    else:
        raise FileRejected(_("Choose a .csv or .xlsx file."))
    rows = _bounded(source)
    if not rows:
        raise FileRejected(_("The file is empty."))
    return rows


def _bounded(source: Generator[tuple[int, Cells], None, None]) -> list[tuple[int, Cells]]:
    # `source` gives every row read, blank ones included, numbered from 1: reading is bounded by
    # MAX_ROWS + BLANK_RUN_END rows whatever the file holds.
    rows: list[tuple[int, Cells]] = []
    blank_run = 0
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
    return rows


def _blank(cells: Sequence) -> bool:
    return all(cell_text(cell) == "" for cell in cells)


# --- CSV --------------------------------------------------------------------------------------


def _csv_rows(data: bytes) -> Generator[tuple[int, Cells], None, None]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected(_("The CSV file is not UTF-8 text: save it as “CSV UTF-8”.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [unescape(cell) for cell in cells]
    except csv.Error:
        raise FileRejected(
            _("The CSV file is malformed: check the quotation marks and the separators."), row=number + 1
        ) from None


# --- XLSX -------------------------------------------------------------------------------------


def open_workbook(checked: uploads.Checked):
    """A checked XLSX upload (`check_upload`) opened read-only (values, not formulas). Raises FileRejected.

    Its size, its package and what it unpacks to were checked before: openpyxl parses nothing else.
    """
    import openpyxl

    not_xlsx = _("The file is not a valid XLSX workbook.")
    if checked.kind is not uploads.XLSX:
        raise FileRejected(not_xlsx)
    try:
        return openpyxl.load_workbook(io.BytesIO(checked.content), read_only=True, data_only=True)
    except Exception:  # an uploaded file may break the reader in any way
        raise FileRejected(not_xlsx) from None


def _xlsx_rows(checked: uploads.Checked) -> Generator[tuple[int, Cells], None, None]:
    fast = _calamine_sheet(checked)
    if fast is not None:
        return _calamine_rows(*fast)
    return _openpyxl_rows(checked)


def _openpyxl_rows(checked: uploads.Checked) -> Generator[tuple[int, Cells], None, None]:
    workbook = open_workbook(checked)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared size is ignored, see the module's docstring
        header, width = None, 0
        rows = sheet.iter_rows(max_col=XLSX_HEADER_COLUMNS, values_only=True)
        for number, cells in enumerate(rows, start=1):
            if _blank(cells):
                yield number, list(cells)
                continue
            header = number
            width = max(index for index, cell in enumerate(cells) if cell_text(cell)) + 1
            yield number, list(cells[:width])
            break
        if header is None:
            return
        rows = sheet.iter_rows(min_row=header + 1, max_col=width + XLSX_SPARE_COLUMNS, values_only=True)
        for number, cells in enumerate(rows, start=header + 1):
            yield number, list(cells)
    except Exception:  # an uploaded file may break the reader in any way
        raise FileRejected(_("The file is not a valid XLSX workbook.")) from None
    finally:
        workbook.close()


# The fast reader (python-calamine, in Rust) takes a sheet into memory as a dense grid: it is used
# only for a workbook whose every cell names its place and lies within these bounds (the grid then
# stays small whatever the file claims); any other workbook is read by openpyxl, bounded as above.
CALAMINE_MAX_COLUMNS = XLSX_HEADER_COLUMNS + XLSX_SPARE_COLUMNS
CALAMINE_MAX_CELLS = 4_000_000
_CELL = re.compile(rb"<c\b")
_CELL_PLACE = re.compile(rb'<c [^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')


def _calamine_sheet(checked: uploads.Checked):
    """(the first sheet, its first column) read by python-calamine, or None to read the file with openpyxl."""
    try:
        with zipfile.ZipFile(io.BytesIO(checked.content)) as package:
            parts = [
                name
                for name in package.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
            ]
            if not parts:
                return None
            columns, rows = 0, 0
            for name in parts:
                data = package.read(name)
                places = _CELL_PLACE.findall(data)
                if not places or len(places) != len(_CELL.findall(data)):
                    return None  # a cell without its place (or written another way): openpyxl reads it
                columns = max(columns, max(_column_number(letters) for letters in {c for c, _r in places}))
                rows = max(rows, max(int(row) for _c, row in places))
        if columns > CALAMINE_MAX_COLUMNS or columns * rows > CALAMINE_MAX_CELLS:
            return None
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(checked.content))
        first = next(
            (
                sheet.name
                for sheet in book.sheets_metadata
                if sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
            ),
            None,
        )
        if first is None:
            return None
        sheet = book.get_sheet_by_name(first)
        return sheet, sheet.start[1] if sheet.start else 0
    except Exception:  # anything unusual: the careful reader decides
        return None


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _calamine_rows(sheet, first_column: int) -> Generator[tuple[int, Cells], None, None]:
    """The rows as openpyxl gives them: None for an empty cell, whole numbers as int, dates as datetimes."""
    lead = [None] * first_column
    header, width = None, 0
    try:
        for number, raw in enumerate(sheet.iter_rows(), start=1):
            cells = lead + [_openpyxl_value(value) for value in raw]
            if header is None:
                cells = cells[:XLSX_HEADER_COLUMNS]
                if _blank(cells):
                    yield number, cells
                    continue
                header = number
                width = max(index for index, cell in enumerate(cells) if cell_text(cell)) + 1
                yield number, cells[:width]
                continue
            cells = cells[: width + XLSX_SPARE_COLUMNS]
            cells.extend([None] * (width + XLSX_SPARE_COLUMNS - len(cells)))
            yield number, cells
    except Exception:  # an uploaded file may break the reader in any way
        raise FileRejected(_("The file is not a valid XLSX workbook.")) from None


_WHOLE_LIMIT = 2**53  # floats beyond this hold no exact whole number


def _openpyxl_value(value: Any) -> Any:
    kind = value.__class__
    if kind is str:
        return value if value else None
    if kind is float:
        return int(value) if value.is_integer() and -_WHOLE_LIMIT < value < _WHOLE_LIMIT else value
    if kind is datetime.date:
        return datetime.datetime(value.year, value.month, value.day)
    return value


# --- the header row ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """The header row of a table: where each named column is."""

    row: int
    positions: dict[str, int]

    @property
    def width(self) -> int:
        return max(self.positions.values(), default=-1) + 1

    def values(self, cells: Sequence) -> dict[str, Any]:
        """The cells of a data row by column name (None for a cell the row does not have)."""
        return {name: cells[index] if index < len(cells) else None for name, index in self.positions.items()}

    def overflows(self, cells: Sequence) -> bool:
        """Whether the row has something in a cell beyond the header's columns."""
        return any(cell_text(cell) for cell in cells[self.width :])


def map_header(row: int, cells: Sequence, *, required: Iterable[str], optional: Iterable[str] = ()) -> Header:
    """The columns named in a header row, in any order and any case; empty header cells are ignored.

    Raises FileRejected with one RowError per column that is unknown, named twice or missing.
    """
    required, optional = tuple(required), tuple(optional)
    known = required + optional
    positions: dict[str, int] = {}
    errors = []
    for index, cell in enumerate(cells):
        text = cell_text(cell).lstrip("\ufeff")
        name = text.lower()
        if not name:
            continue
        if name not in known:
            message = _("Unknown column; the columns are: %(columns)s.") % {"columns": ", ".join(known)}
            errors.append(RowError(row, text, message))
        elif name in positions:
            errors.append(RowError(row, text, _("The column appears twice in the header row.")))
        else:
            positions[name] = index
    errors.extend(
        RowError(row, column, _("The column is missing from the header row."))
        for column in required
        if column not in positions
    )
    if errors:
        raise FileRejected(errors)
    return Header(row, positions)
