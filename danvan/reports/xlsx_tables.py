"""XLSX export of dashboard tables: one sheet per table, a title row, Vietnamese headings.

Numbers stay numbers: counts as whole numbers, rates as the number shown on the page (73.5 for
73,5 %) with the number format `0.0 "%"`, so a spreadsheet can compute with them. Text never runs:
every text cell (title, headings, values) goes through core.xlsx.safe_cell, so a subject typed on
the public portal as "=HYPERLINK(…)" stays the text that was typed.
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from danvan.core.xlsx import safe_cell

RATE_FORMAT = '0.0" %"'
COUNT_FORMAT = "#,##0"
_HEADING_FILL = PatternFill("solid", fgColor="EEF1F5")


@dataclass
class Column:
    heading: str
    kind: str = "text"  # "text", "count" (a whole number) or "rate" (73.5 shown as 73.5 %)
    width: int = 14


@dataclass
class Table:
    """One sheet: a title (unit and period), its columns and rows of plain values."""

    sheet: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)


def cell_value(value, kind: str):
    """A value as the spreadsheet stores it: Fractions and Decimals become floats or ints, text is escaped."""
    if value is None:
        return None
    if kind == "rate" and isinstance(value, (Fraction, Decimal)):
        return round(float(value), 4)
    if kind == "count" and isinstance(value, (Fraction, Decimal)):
        return int(value)
    return safe_cell(value)


def workbook(tables: list[Table]) -> bytes:
    """The workbook of `tables` as XLSX bytes."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(title=table.sheet[:31])
        sheet.append([safe_cell(table.title)])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(table.columns), 1))
        sheet.append([safe_cell(column.heading) for column in table.columns])
        for index, column in enumerate(table.columns, start=1):
            heading = sheet.cell(row=2, column=index)
            heading.font = Font(bold=True)
            heading.fill = _HEADING_FILL
            heading.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        for row in table.rows:
            sheet.append(
                [cell_value(value, column.kind) for value, column in zip(row, table.columns, strict=True)]
            )
            for index, column in enumerate(table.columns, start=1):
                cell = sheet.cell(row=sheet.max_row, column=index)
                if column.kind == "rate":
                    cell.number_format = RATE_FORMAT
                elif column.kind == "count":
                    cell.number_format = COUNT_FORMAT
        sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
