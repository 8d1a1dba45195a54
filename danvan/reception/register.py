"""The register as Thông tư 04/2021/TT-TTCP lays it out: its columns, its rows for a user, its XLSX.

The printable page and the XLSX file show the same columns and the same rows. The identity column
is masked ("(protected)") for a protected entry (privacy.is_protected: a denunciation, or an entry
whose case became one) unless the user holds the case-handler role at the register's unit; every
protected identity shown is logged (privacy.log_views).

What citizens wrote goes into the XLSX as text, never as a formula (core.tables, exact text): a
cell starting with = + - @ (or a tab, a carriage return) is stored as a string with Excel's quote
prefix, so nothing runs when the file is opened or the cell edited, and the text reads as written.
"""

import datetime
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from danvan.core import tables
from danvan.core.dates import day_text
from danvan.orgs.models import Unit
from danvan.voice.cases.models import Kind, State

from . import privacy
from .models import Entry, Handling

MARK = "X"


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    width: int
    group: str = ""  # a heading spanning this column and the next ones of the same group


# The form's columns, in its order; the three handling columns sit under "Handling".
COLUMNS = [
    Column("number", gettext_lazy("No."), 6),
    Column("received_on", gettext_lazy("Date of reception"), 12),
    Column("person", gettext_lazy("Full name – address – identity document of the citizen"), 34),
    Column("content", gettext_lazy("Content of the matter"), 40),
    Column("classification", gettext_lazy("Classification of the submission / number of people"), 16),
    Column("previous_authority", gettext_lazy("Agency that already handled it"), 18),
    Column("accept", gettext_lazy("Accepted for resolution"), 12, group="handling"),
    Column("return", gettext_lazy("Returned with guidance"), 16, group="handling"),
    Column(
        "transfer",
        gettext_lazy("Transferred to the competent agency, organisation or unit"),
        18,
        group="handling",
    ),
    Column("result", gettext_lazy("Follow-up of the result"), 24),
    Column("receiver", gettext_lazy("Received by"), 18),
    Column("note", gettext_lazy("Note"), 18),
]
GROUPS = {"handling": gettext_lazy("Handling")}


def headings() -> tuple[list[dict], list[Column]]:
    """The form's two heading rows: the top one (a group spans its columns; others span both rows), the sub one."""
    top: list[dict] = []
    sub: list[Column] = []
    for column in COLUMNS:
        if not column.group:
            top.append({"label": column.heading, "colspan": 1, "rowspan": 2, "key": column.key})
            continue
        sub.append(column)
        if not any(cell["key"] == column.group for cell in top):
            span = sum(1 for other in COLUMNS if other.group == column.group)
            top.append({"label": GROUPS[column.group], "colspan": span, "rowspan": 1, "key": column.group})
    return top, sub


@dataclass
class Row:
    entry: Entry
    cells: dict

    def __getitem__(self, key):
        return self.cells[key]


def title() -> str:
    return _("Citizen reception register")


def period_label(start: datetime.date, end: datetime.date) -> str:
    """ "Year 2026" for a whole calendar year, else "From dd/mm/yyyy to dd/mm/yyyy"."""
    if start == datetime.date(start.year, 1, 1) and end == datetime.date(start.year, 12, 31):
        return _("Year %(year)s") % {"year": start.year}
    return _("From %(start)s to %(end)s") % {"start": day_text(start), "end": day_text(end)}


def _classification(entry: Entry) -> str:
    count = number_format(entry.people_count, force_grouping=True)
    return _("%(kind)s / %(count)s person(s)") % {"kind": Kind(entry.kind).label, "count": count}


def _with(mark_text: str, detail: str) -> str:
    return f"{mark_text}\n{detail}" if detail else mark_text


def _result(entry: Entry) -> str:
    parts = []
    if entry.case_id:
        parts.append(
            _("Case %(reference)s: %(state)s")
            % {"reference": entry.case.reference, "state": State(entry.case.state).label}
        )
    if entry.result:
        parts.append(entry.result)
    return "\n".join(parts)


def _receiver(entry: Entry) -> str:
    text = entry.receiver
    if entry.leader_day_id:
        day = entry.leader_day
        text += "\n" + _("Leader: %(name)s, %(position)s") % {
            "name": day.leader_name,
            "position": day.leader_position,
        }
    return text


def row(user, entry: Entry, seen: list) -> Row:
    cells = {
        "number": entry.number,
        "received_on": entry.received_on,
        "person": privacy.shown_identity(user, entry, seen=seen),
        "content": entry.content,
        "classification": _classification(entry),
        "previous_authority": entry.previous_authority,
        "accept": _with(MARK, entry.case.reference if entry.case_id else "")
        if entry.handling == Handling.ACCEPT
        else "",
        "return": _with(MARK, entry.guidance) if entry.handling == Handling.RETURN else "",
        "transfer": _with(MARK, entry.transfer_to) if entry.handling == Handling.TRANSFER else "",
        "result": _result(entry),
        "receiver": _receiver(entry),
        "note": entry.note,
    }
    return Row(entry, cells)


def rows(user, entries, *, what: str) -> list[Row]:
    """The register's rows as `user` may see them; protected identities shown are logged under `what`."""
    seen: list[Entry] = []
    result = [row(user, entry, seen) for entry in entries]
    privacy.log_views(user, seen, what)
    return result


# ---------------------------------------------------------------- XLSX


_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "Times New Roman"
_CENTRED = ("number", "received_on", "accept")
_TOP, _SUB, _NUMBERS = 5, 6, 7  # the rows of the headings and of the column numbers


def workbook(unit: Unit, start: datetime.date, end: datetime.date, table: list[Row]):
    """The register as an XLSX workbook (write-only, core.tables): the unit and title on top, the
    form's two heading rows, the column numbers (1)…(n), then one row per entry; dates are real
    dates shown dd/mm/yyyy."""
    book = tables.new_workbook()
    sheet = book.create_sheet(_("Register")[:31])
    _page_setup(sheet)
    last = get_column_letter(len(COLUMNS))
    centre = Alignment(horizontal="center")
    sheet.append([_text(sheet, unit.name.upper(), font=Font(name=_FONT, bold=True, size=12))])
    sheet.append([_text(sheet, title().upper(), font=Font(name=_FONT, bold=True, size=14), alignment=centre)])
    sheet.append(
        [
            _text(
                sheet, period_label(start, end), font=Font(name=_FONT, italic=True, size=12), alignment=centre
            )
        ]
    )
    sheet.append([])
    for cells in _heading_rows(sheet):
        sheet.append(cells)
    for line in table:
        sheet.append([_entry_cell(sheet, column, line[column.key]) for column in COLUMNS])
    sheet.merged_cells.add(f"A1:{get_column_letter(min(len(COLUMNS), 4))}1")
    sheet.merged_cells.add(f"A2:{last}2")
    sheet.merged_cells.add(f"A3:{last}3")
    return book


def _page_setup(sheet) -> None:
    # A write-only sheet writes its widths, panes and properties before its first row.
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = f"A{_NUMBERS + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{_TOP}:{_NUMBERS}"


def _text(sheet, value, **style):
    return tables.cell(sheet, value, exact_text=True, **style)


def _heading_rows(sheet) -> list[list]:
    """The form's two heading rows and the row of column numbers; a group's heading spans its
    columns, other headings span both rows (the merges are added to the sheet)."""
    top: list = []
    sub: list = []
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        if not column.group:
            top.append(str(column.heading))
            sub.append(None)
            sheet.merged_cells.add(f"{letter}{_TOP}:{letter}{_SUB}")
            continue
        first = next(i for i, other in enumerate(COLUMNS, start=1) if other.group == column.group)
        if first == index:
            span = sum(1 for other in COLUMNS if other.group == column.group)
            top.append(str(GROUPS[column.group]))
            sheet.merged_cells.add(f"{letter}{_TOP}:{get_column_letter(index + span - 1)}{_TOP}")
        else:
            top.append(None)
        sub.append(str(column.heading))
    numbers = [f"({index})" for index in range(1, len(COLUMNS) + 1)]
    return [
        [_heading_cell(sheet, value, italic=False) for value in top],
        [_heading_cell(sheet, value, italic=False) for value in sub],
        [_heading_cell(sheet, value, italic=True) for value in numbers],
    ]


def _heading_cell(sheet, value, *, italic: bool):
    return _text(
        sheet,
        value,
        font=Font(name=_FONT, bold=not italic, italic=italic, size=11),
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        border=_BOX,
    )


def _entry_cell(sheet, column: Column, value):
    alignment = Alignment(
        horizontal="center" if column.key in _CENTRED else None, vertical="top", wrap_text=True
    )
    return _text(sheet, value, font=Font(name=_FONT, size=11), border=_BOX, alignment=alignment)
