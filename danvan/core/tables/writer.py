"""Writing CSV and XLSX tables: text that never runs, numbers that stay numbers, rows streamed.

CSV: `csv_chunks` yields the file (UTF-8 with a BOM, so spreadsheet programs read Vietnamese
text as UTF-8; CRLF line ends) a few hundred rows at a time, pulling rows from its iterable as it
goes (a body for a StreamingHttpResponse too); `write_csv` writes it into a file. Every text cell
is escaped (cells.escape).

XLSX: openpyxl's write-only mode, where each row goes to a temporary file on disk as it is
appended, so neither the rows nor the workbook are held in memory. `Sheet` is one sheet in the
usual layout: an optional title row (bold, across the columns), a bold heading row, column
widths, panes frozen below the headings. A column's kind types its cells: "text", "count" (a
whole number, #,##0), "number" (one decimal shown, a score), "rate" (73.5 shown as 73,5 %) or
"date" (dd/mm/yyyy); Fractions and
Decimals become numbers, aware datetimes local ones. Text is escaped with an apostrophe, or with
`exact_text` kept exactly as written in a string cell with the quote prefix (workbooks that come
back). A layout of its own (the reception register) starts from `new_workbook()` and writes its
cells with `cell()`.

Downloads (`csv_response`, `xlsx_response`) are written into a temporary file while the view runs
(`temporary_file`: in memory while small, on disk beyond SPOOL_BYTES), then sent from it in chunks
(`file_response`): the rows are read inside the request, before the view records the export with
its row count, and memory stays bounded whatever the number of rows.
"""

import csv
import datetime
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise

from .cells import ESCAPE, FORMULA_START, ILLEGAL_CHARACTERS, escape, xlsx_text

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
CSV_CHUNK_ROWS = 500  # rows encoded together into one chunk of a streamed CSV
SPOOL_BYTES = 2 * 1024 * 1024  # a generated file stays in memory up to this size, then goes to disk

COUNT_FORMAT = "#,##0"
NUMBER_FORMAT = "#,##0.0"
RATE_FORMAT = '0.0" %"'
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
_NUMBER_FORMATS = {"count": COUNT_FORMAT, "number": NUMBER_FORMAT, "rate": RATE_FORMAT, "date": DATE_FORMAT}
_NOT_PLAIN_START = (*FORMULA_START, ESCAPE, "")  # text starting so may need an escape; "" is no text


# --- CSV --------------------------------------------------------------------------------------


def csv_chunks(rows: Iterable[Sequence], *, header: Sequence[str] | None = None) -> Iterator[bytes]:
    """The CSV file of `rows` (after `header`, when given) as encoded chunks, rows read as needed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    if header is not None:
        writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([escape(value) for value in row])
        if count % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_csv(
    target: IO[bytes],
    rows: Iterable[Sequence],
    *,
    header: Sequence[str] | None = None,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Write the CSV file of `rows` into `target`; the number of rows (header not counted).

    `progress(rows written so far)` is called after each chunk (a background job's progress bar).
    """
    counted = _Counted(rows)
    for chunk in csv_chunks(counted, header=header):
        target.write(chunk)
        if progress is not None:
            progress(counted.count)
    return counted.count


def csv_response(
    rows: Iterable[Sequence], *, filename: str, header: Sequence[str] | None = None
) -> FileResponse:
    """A download of the CSV file of `rows`: written now into a temporary file, sent from it in chunks.

    The rows are read before the view returns, inside its request (its queries, its language,
    before it records the export), yet never all held in memory.
    """
    file = temporary_file()
    write_csv(file, rows, header=header)
    file.seek(0)
    return file_response(file, filename=filename, content_type=CSV_TYPE)


class _Counted:
    def __init__(self, rows: Iterable):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


# --- XLSX -------------------------------------------------------------------------------------


@dataclass
class Column:
    heading: str
    kind: str = (
        "text"  # "text", "count", "number" (a score: 1 decimal), "rate" (73.5 shown as 73,5 %) or "date"
    )
    width: float = 14


@dataclass
class Sheet:
    """One sheet: its rows (any iterable, read once, as written) under its columns' headings."""

    name: str
    rows: Iterable[Sequence] = field(default_factory=list)
    columns: Sequence[Column] = field(default_factory=list)  # none: no heading row, cells typed as text
    title: str = ""  # a bold title row above the headings (unit and period of a dashboard table)
    exact_text: bool = False  # formula-like text kept as written (string cell, quote prefix)


def new_workbook():
    """An empty write-only workbook (openpyxl): rows go to disk as they are appended."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


def workbook(sheets: Iterable[Sheet]):
    """A write-only workbook holding `sheets` in the usual layout."""
    book = new_workbook()
    for sheet in sheets:
        add_sheet(book, sheet)
    return book


def add_sheet(book, sheet: Sheet, *, progress: Callable[[int], object] | None = None) -> int:
    """Write `sheet` into the write-only workbook `book`; the number of rows (title and headings not
    counted). `progress(rows written so far)` is called every CSV_CHUNK_ROWS rows and at the end."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    worksheet = book.create_sheet(title=sheet.name[:31])
    columns, exact = list(sheet.columns), sheet.exact_text
    # A write-only sheet writes its widths and panes before the first row: set them first.
    for index, column in enumerate(columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    if columns:
        worksheet.freeze_panes = f"A{2 + bool(sheet.title)}"
    if sheet.title:
        worksheet.append([cell(worksheet, sheet.title, exact_text=exact, font=Font(bold=True, size=13))])
        if len(columns) > 1:
            worksheet.merged_cells.add(f"A1:{get_column_letter(len(columns))}1")
    if columns:
        bold, fill = Font(bold=True), PatternFill("solid", fgColor="EEF1F5")
        wrap = Alignment(wrap_text=True, vertical="top")
        worksheet.append(
            [
                cell(worksheet, c.heading, exact_text=exact, font=bold, fill=fill, alignment=wrap)
                for c in columns
            ]
        )
    kinds = [column.kind for column in columns]
    rows = _Counted(sheet.rows)
    for row in rows:
        worksheet.append(
            [
                _typed(worksheet, value, kinds[i] if i < len(kinds) else "text", exact)
                for i, value in enumerate(row)
            ]
        )
        if progress is not None and rows.count % CSV_CHUNK_ROWS == 0:
            progress(rows.count)
    if progress is not None:
        progress(rows.count)
    return rows.count


def cell(worksheet, value: Any, *, kind: str = "text", exact_text: bool = False, **style):
    """A cell of a write-only `worksheet`, typed by `kind` and styled (font=, fill=, alignment=,
    border=, number_format=), its text never run as a formula."""
    result = _cell(worksheet, _plain(value, kind, exact_text), kind, exact_text)
    for name, setting in style.items():
        setattr(result, name, setting)
    return result


def _typed(worksheet, value: Any, kind: str, exact_text: bool):
    """A row's value: plain when it needs no format or type of its own (most cells, quickly), else a cell."""
    if value.__class__ is str and value[:1] not in _NOT_PLAIN_START and not ILLEGAL_CHARACTERS.search(value):
        return value  # most cells of a large export: text with nothing to escape or drop
    plain = _plain(value, kind, exact_text)
    if plain is None or not (_number_format(plain, kind) or (exact_text and _formula_like(plain))):
        return plain
    return _cell(worksheet, plain, kind, exact_text)


def _cell(worksheet, plain: Any, kind: str, exact_text: bool):
    from openpyxl.cell import WriteOnlyCell

    result = WriteOnlyCell(worksheet, value=plain)
    if exact_text and _formula_like(plain):
        result.data_type = "s"
        result.quotePrefix = True
    number_format = _number_format(plain, kind)
    if number_format:
        result.number_format = number_format
    return result


def _formula_like(value: Any) -> bool:
    return isinstance(value, str) and value[:1] in FORMULA_START


def _plain(value: Any, kind: str, exact_text: bool) -> Any:
    if isinstance(value, Promise):  # a lazy translation
        value = str(value)
    if isinstance(value, Fraction | Decimal):
        return int(value) if kind == "count" else round(float(value), 4)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str):
        value = xlsx_text(value)
        if not value:
            return None  # an empty cell, not an empty string
        return value if exact_text else escape(value)
    return value


def _number_format(value: Any, kind: str) -> str:
    if isinstance(value, datetime.datetime):
        return DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return DATE_FORMAT
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _NUMBER_FORMATS.get(kind, "")
    return ""


def temporary_file() -> IO[bytes]:
    """A file for a generated export: in memory while small, on disk beyond SPOOL_BYTES, removed when closed."""
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)


def xlsx_file(book) -> IO[bytes]:
    """`book` saved into a temporary file, positioned at its start."""
    target = temporary_file()
    try:
        book.save(target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target


def xlsx_response(book, *, filename: str) -> FileResponse:
    """A download of the workbook `book`, saved into a temporary file and sent from it in chunks."""
    return file_response(xlsx_file(book), filename=filename, content_type=XLSX_TYPE)


def file_response(file: IO[bytes], *, filename: str, content_type: str) -> FileResponse:
    """A download of a generated file (closed, and so removed when temporary, once sent)."""
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
