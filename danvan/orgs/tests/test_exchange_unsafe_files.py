"""Unit files the upload checker refuses (macros, files valid as two types): the page, the command and
the import refuse them with the checker's message, and nothing is stored or saved."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from danvan.accounts.actors import System
from danvan.orgs.exchange import apply, fileformat
from danvan.orgs.models import Unit, UnitImport

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

ROW = ["STP-CB3", "Chi bộ 3", "STP", "cell", None, "2024-01-01", None, None]


def workbook_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(list(fileformat.COLUMNS))
    workbook.active.append(ROW)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def macro_workbook() -> bytes:
    """A real workbook carrying a VBA project (an .xlsm renamed .xlsx)."""
    buffer = io.BytesIO(workbook_bytes())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


def polyglot_workbook() -> bytes:
    """A real workbook whose first part, stored as is, starts like a PDF: a PDF reader opens it too."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook_bytes())) as old, zipfile.ZipFile(out, "w") as new:
        new.writestr("docProps/custom.xml", b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n")
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
    return out.getvalue()


def polyglot_csv() -> bytes:
    return (
        ",".join(fileformat.COLUMNS) + "\nSTP-CB3,Chi bộ 3 %PDF-1.4 1 0 obj,STP,cell,,2024-01-01,,\n"
    ).encode()


UNSAFE = {
    "macros": ("don-vi.xlsx", macro_workbook, "có macro"),
    "workbook and PDF": ("don-vi.xlsx", polyglot_workbook, "đồng thời cũng đọc được như tệp PDF"),
    "CSV and PDF": ("don-vi.csv", polyglot_csv, "đồng thời cũng đọc được như tệp PDF"),
}


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize("case", UNSAFE)
def test_the_upload_page_refuses_it_and_stores_nothing(personas, login, settings, case):
    name, build, text = UNSAFE[case]
    response = login(personas["admin"]).post(
        reverse("orgs:import_upload"), {"file": SimpleUploadedFile(name, build())}
    )
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not UnitImport.objects.exists()
    assert stored_files(settings) == []
    assert not Unit.objects.filter(code="STP-CB3").exists()


@pytest.mark.parametrize("case", UNSAFE)
def test_the_command_refuses_it(tree, tmp_path, case):
    name, build, text = UNSAFE[case]
    path = tmp_path / name
    path.write_bytes(build())
    with pytest.raises(CommandError, match=text):
        call_command("import-units", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Unit.objects.filter(code="STP-CB3").exists()


@pytest.mark.parametrize("case", UNSAFE)
def test_the_import_refuses_it(tree, case):
    name, build, text = UNSAFE[case]
    result = apply.import_file(data=build(), filename=name, by=SYSTEM)
    assert not result.ok
    assert text in str(result.errors[0])
    assert not Unit.objects.filter(code="STP-CB3").exists()


def test_the_same_workbook_without_the_macros_is_imported(tree):
    assert apply.import_file(data=workbook_bytes(), filename="don-vi.xlsx", by=SYSTEM).ok
    assert Unit.objects.filter(code="STP-CB3").exists()
