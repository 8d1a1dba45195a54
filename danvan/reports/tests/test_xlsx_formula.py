"""Text in an exported spreadsheet never runs as a formula (CSV/XLSX injection).

A subject typed on the public portal ("=HYPERLINK(…)", "=1+2", "@SUM(A1)") reaches staff spreadsheets
through the voice exports and the dashboards (reports.xlsx_tables): it must come back as the text
that was typed, behind the escape, while counts, rates and dates stay typed.
"""

import datetime
import io
from fractions import Fraction

from django.urls import reverse
from openpyxl import load_workbook

from danvan.core.xlsx import ESCAPE, safe_cell
from danvan.reports import xlsx_tables
from danvan.reports.xlsx_tables import Column, Table

DANGEROUS = ["=1+2", "+1", "-1", "@SUM(A1)", '=HYPERLINK("http://evil.example","Bấm vào đây")', "\t=1+2"]


def cells(content: bytes, sheet: str):
    return load_workbook(io.BytesIO(content))[sheet]


def test_safe_cell_escapes_text_that_would_run_and_leaves_everything_else_alone():
    for text in [*DANGEROUS, "\r=1+2"]:
        assert safe_cell(text) == ESCAPE + text
    for value in ("Khiếu nại", "", "1+2", "Đơn — số 12", " =1", 5, -1, 73.5, None, datetime.date(2026, 3, 2)):
        assert safe_cell(value) == value


def test_the_dashboard_workbook_writes_formula_like_text_as_text_and_numbers_as_numbers():
    table = Table(
        sheet="Bảng",
        title="=1+2",  # a unit named by someone careless or malicious
        columns=[Column("@Tên"), Column("Số", "count"), Column("Tỷ lệ", "rate"), Column("Ngày", "date")],
        rows=[[text, 3, Fraction(147, 2), datetime.date(2026, 3, 2)] for text in DANGEROUS]
        + [["Bình thường", -1, Fraction(-1, 2), None]],
    )
    sheet = cells(xlsx_tables.workbook([table]), "Bảng")
    assert (sheet["A1"].data_type, sheet["A1"].value) == ("s", "'=1+2")
    assert (sheet["A2"].data_type, sheet["A2"].value) == ("s", "'@Tên")
    for row, text in enumerate(DANGEROUS, start=3):
        cell = sheet.cell(row=row, column=1)
        assert cell.data_type == "s" and cell.value == ESCAPE + text, (text, cell.value)
        assert sheet.cell(row=row, column=2).value == 3 and sheet.cell(row=row, column=2).data_type == "n"
        assert sheet.cell(row=row, column=3).value == 73.5 and sheet.cell(row=row, column=3).data_type == "n"
        assert sheet.cell(row=row, column=4).value == datetime.datetime(2026, 3, 2)
        assert sheet.cell(row=row, column=4).is_date
    last = len(DANGEROUS) + 3
    assert sheet.cell(row=last, column=1).value == "Bình thường"
    assert (sheet.cell(row=last, column=2).value, sheet.cell(row=last, column=3).value) == (-1, -0.5)
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_a_subject_sent_from_the_portal_reaches_the_overdue_export_as_text(tree, personas, login):
    from danvan.voice import cases, seed
    from danvan.voice.models import DeadlineRule, Kind

    seed.ensure(DeadlineRule)
    for subject in DANGEROUS[:5]:
        cases.case_receive(
            cases.NewCase(
                unit=tree.stp,
                kind=Kind.COMPLAINT_FIRST,
                channel="portal",
                subject=subject,
                content="Nội dung khiếu nại.",
                received_on=datetime.date.today() - datetime.timedelta(days=90),  # long overdue
                identity={"name": "Trần Văn Bình", "address": "5 Hùng Vương, Biên Hòa"},
            ),
            with_tracking_code=True,
        )
    response = login(personas["case_handler"]).get(reverse("voice:overdue"), {"format": "xlsx"})
    assert response.status_code == 200, response.status_code
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    texts = {cell.value: cell.data_type for row in sheet.iter_rows(min_row=3) for cell in row}
    for subject in DANGEROUS[:5]:
        assert texts.get(ESCAPE + subject) == "s", (subject, sorted(map(str, texts)))
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    days = [row[8] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert days and all(isinstance(value, int) for value in days)  # the days overdue stay numbers
