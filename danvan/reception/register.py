"""The register as Thông tư 04/2021/TT-TTCP lays it out: its columns, its rows for a user, its XLSX.

The printable page and the XLSX file show the same columns and the same rows. The identity column
is masked ("(protected)") for a protected entry (privacy.is_protected: a denunciation, or an entry
whose case became one) unless the user holds the case-handler role at the register's unit; every
protected identity shown is logged (privacy.log_views).

What citizens wrote goes into the XLSX as text, never as a formula (`_put`): a cell starting with
= + - @ (or a tab, a carriage return) is stored as a string with Excel's quote prefix, so nothing
runs when the file is opened or the cell edited, and the text reads as written.
"""

import datetime
import io
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from danvan.core.dates import day_text
from danvan.core.xlsx import put_text
from danvan.orgs.models import Unit
from danvan.voice.models import Kind, State

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


def workbook(unit: Unit, start: datetime.date, end: datetime.date, table: list[Row]) -> bytes:
    """The register as an XLSX file: the unit and title on top, the form's two heading rows, the
    column numbers (1)…(n), then one row per entry; dates are real dates shown dd/mm/yyyy."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Register")[:31]
    width = len(COLUMNS)
    last = get_column_letter(width)
    put_text(sheet["A1"], unit.name.upper())
    sheet["A1"].font = Font(name=_FONT, bold=True, size=12)
    sheet.merge_cells(f"A1:{get_column_letter(min(width, 4))}1")
    sheet["A2"] = title().upper()
    sheet["A2"].font = Font(name=_FONT, bold=True, size=14)
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A2:{last}2")
    sheet["A3"] = period_label(start, end)
    sheet["A3"].font = Font(name=_FONT, italic=True, size=12)
    sheet["A3"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A3:{last}3")
    top, sub, numbers = 5, 6, 7
    index = 1
    while index <= width:
        column = COLUMNS[index - 1]
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.group:
            span = [c for c in COLUMNS if c.group == column.group]
            end_letter = get_column_letter(index + len(span) - 1)
            sheet[f"{letter}{top}"] = str(GROUPS[column.group])
            sheet.merge_cells(f"{letter}{top}:{end_letter}{top}")
            for offset, member in enumerate(span):
                member_letter = get_column_letter(index + offset)
                sheet.column_dimensions[member_letter].width = member.width
                sheet[f"{member_letter}{sub}"] = str(member.heading)
            index += len(span)
            continue
        sheet[f"{letter}{top}"] = str(column.heading)
        sheet.merge_cells(f"{letter}{top}:{letter}{sub}")
        index += 1
    for index in range(1, width + 1):
        sheet.cell(row=numbers, column=index, value=f"({index})")
        for line in (top, sub, numbers):
            cell = sheet.cell(row=line, column=index)
            cell.font = Font(name=_FONT, bold=line != numbers, italic=line == numbers, size=11)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BOX
    current = numbers
    for line in table:
        current += 1
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=current, column=index)
            put_text(cell, line[column.key])
            cell.font = Font(name=_FONT, size=11)
            cell.border = _BOX
            centred = column.key in ("number", "received_on", "accept")
            cell.alignment = Alignment(
                horizontal="center" if centred else None, vertical="top", wrap_text=True
            )
            if column.key == "received_on":
                cell.number_format = "dd/mm/yyyy"
    sheet.freeze_panes = f"A{numbers + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{top}:{numbers}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
