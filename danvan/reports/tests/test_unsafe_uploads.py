"""Spreadsheets the upload checker refuses (macros, files valid as two types): the values import (page
and command) and the template upload refuse them with the checker's message, and save nothing."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from danvan.reports.models import DataValue, Report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _period(prepare):
    prepare("2026S1")  # as the nightly job does: the template download only reads


VALUES = [["unit_code", "period", "element_code", "value"], ["STP", "2026S1", "STAFF_ELIGIBLE", 50]]
TEMPLATE = "/reports/BC-DV-6T/STP/2026S1/template.xlsx"
UPLOAD = "/reports/BC-DV-6T/STP/2026S1/upload/"
MACROS = "có macro"
TWO_TYPES = "đồng thời cũng đọc được như tệp PDF"


def saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def values_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    for row in VALUES:
        workbook.active.append(row)
    return saved(workbook)


def with_macros(workbook: bytes) -> bytes:
    """The workbook carrying a VBA project (an .xlsm renamed .xlsx)."""
    buffer = io.BytesIO(workbook)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


def as_pdf_too(workbook: bytes) -> bytes:
    """The workbook with a first part, stored as is, that starts like a PDF: a PDF reader opens it too."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as old, zipfile.ZipFile(out, "w") as new:
        new.writestr("docProps/custom.xml", b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n")
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
    return out.getvalue()


def values_csv_as_pdf_too() -> bytes:
    return b"unit_code,period,element_code,value\nSTP,2026S1,STAFF_ELIGIBLE,50\n%PDF-1.4 1 0 obj,,,\n"


UNSAFE_VALUES = {
    "macros": ("so-lieu.xlsx", lambda: with_macros(values_workbook()), MACROS),
    "workbook and PDF": ("so-lieu.xlsx", lambda: as_pdf_too(values_workbook()), TWO_TYPES),
    "CSV and PDF": ("so-lieu.csv", values_csv_as_pdf_too, TWO_TYPES),
}


def nothing_entered() -> bool:
    return not DataValue.objects.exclude(source=DataValue.Source.DERIVED).exists()


@pytest.mark.parametrize("case", UNSAFE_VALUES)
def test_the_values_import_page_refuses_it(tree, indicators, personas, login, case):
    name, build, text = UNSAFE_VALUES[case]
    response = login(personas["admin"]).post(
        "/reports/import-values/", {"file": SimpleUploadedFile(name, build())}
    )
    assert response.status_code == 400
    assert text in response.content.decode()
    assert nothing_entered()


@pytest.mark.parametrize("case", UNSAFE_VALUES)
def test_the_values_import_command_refuses_it(tree, indicators, tmp_path, case):
    name, build, text = UNSAFE_VALUES[case]
    path = tmp_path / name
    path.write_bytes(build())
    with pytest.raises(CommandError, match=text):
        call_command("import-values", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert nothing_entered()


def filled_template(client) -> bytes:
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    row = next(row for row in range(8, sheet.max_row + 1) if sheet[f"B{row}"].value == "STAFF_ELIGIBLE")
    sheet[f"E{row}"] = 50
    return saved(workbook)


@pytest.mark.parametrize(("change", "text"), [(with_macros, MACROS), (as_pdf_too, TWO_TYPES)])
def test_the_template_upload_refuses_it(tree, indicators, personas, login, change, text):
    client = login(personas["reporter"])
    template = filled_template(client)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("bao-cao.xlsx", change(template))})
    assert response.status_code == 400
    assert text in response.content.decode()
    assert nothing_entered()
    # The same template, as downloaded and filled in, is saved.
    assert client.post(UPLOAD, {"file": SimpleUploadedFile("bao-cao.xlsx", template)}).status_code == 200
    report = Report.objects.get(unit=tree.stp, period__code="2026S1")
    assert report.values.get(element__code="STAFF_ELIGIBLE").value == 50
