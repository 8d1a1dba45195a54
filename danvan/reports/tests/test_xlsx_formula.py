"""Text in an exported spreadsheet never runs as a formula (CSV/XLSX injection).

A subject typed on the public portal ("=HYPERLINK(…)", "=1+2", "@SUM(A1)") reaches staff spreadsheets
through the voice exports and the dashboards (written by core.tables, tested in
core/tests/test_tables.py): it must come back as the text that was typed, behind the escape, while
counts, rates and dates stay typed.
"""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from danvan.accounts.actors import System
from danvan.core.tables import ESCAPE

SYSTEM = System("tests")

DANGEROUS = ["=1+2", "+1", "-1", "@SUM(A1)", '=HYPERLINK("http://evil.example","Bấm vào đây")', "\t=1+2"]


def test_a_subject_sent_from_the_portal_reaches_the_overdue_export_as_text(tree, personas, login):
    from danvan.voice.cases import services as cases
    from danvan.voice.cases.models import Kind
    from danvan.voice.deadlines import seed
    from danvan.voice.deadlines.models import DeadlineRule

    seed.ensure(DeadlineRule)
    for subject in DANGEROUS[:5]:
        cases.case_receive(
            by=SYSTEM,
            spec=cases.NewCase(
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
    book = load_workbook(io.BytesIO(response.getvalue()))
    sheet = book.worksheets[0]
    texts = {cell.value: cell.data_type for row in sheet.iter_rows(min_row=3) for cell in row}
    for subject in DANGEROUS[:5]:
        assert texts.get(ESCAPE + subject) == "s", (subject, sorted(map(str, texts)))
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    days = [row[8] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert days and all(isinstance(value, int) for value in days)  # the days overdue stay numbers
