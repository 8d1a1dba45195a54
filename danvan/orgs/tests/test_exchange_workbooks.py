"""Unit files that try to make the import read far more than they hold: huge declared sheets, blank runs."""

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.accounts.actors import System
from danvan.core.tables import reader
from danvan.orgs.exchange import apply, fileformat
from danvan.orgs.models import Unit, UnitImport

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

HEADER = "code,name,parent_code,type,groups,valid_from,valid_to,predecessors"
UNITS = [
    ["BK", "Đảng ủy Khối Doanh nghiệp", None, "bloc", None, "2020-01-01", None, None],
    ["BK-01", "Đảng ủy Công ty Điện lực", "BK", "grassroots", "enterprise", "2020-01-01", None, None],
    ["BK-01-CB1", "Chi bộ Phòng Kỹ thuật", "BK-01", "cell", None, "2020-02-01", None, None],
]
LAST_ROW, LAST_COLUMN = 1_048_576, 16_384  # the bottom-right cell of a sheet (XFD1048576)


def workbook_bytes(rows, *, corner=None, gaps: int = 0) -> bytes:
    """A workbook: the header, `rows` with `gaps` blank rows after each, and `corner` in XFD1048576."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(fileformat.COLUMNS))
    for row in rows:
        sheet.append(row)
        for _ in range(gaps):
            sheet.append([])
    if corner is not None:
        sheet.cell(row=LAST_ROW, column=LAST_COLUMN, value=corner)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, gaps: int = 0) -> bytes:
    lines = [HEADER]
    for row in rows:
        lines.append(",".join(cell or "" for cell in row))
        lines.extend([""] * gaps)
    return "\n".join(lines).encode()


def messages(result) -> list[str]:
    return [str(error) for error in result.errors]


@pytest.fixture
def rows_read(monkeypatch):
    """Counts the rows the import looks at (each goes through `_blank`) and how wide they are."""
    seen: list[int] = []
    real = reader._blank

    def counting(cells):
        seen.append(len(cells))
        if len(seen) > 5 * reader.BLANK_RUN_END or len(cells) > 100:
            raise AssertionError("the reader walks the whole declared sheet")
        return real(cells)

    monkeypatch.setattr(reader, "_blank", counting)
    return seen


def test_a_small_workbook_declaring_the_whole_sheet_is_read_only_as_far_as_its_rows(catalogue, rows_read):
    data = workbook_bytes(UNITS, corner="x")
    assert len(data) < 20_000
    assert re.search(
        rb'<dimension ref="A1:XFD1048576"', zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    )
    result = apply.import_file(data=data, filename="don-vi.xlsx", by=SYSTEM)
    assert result.ok, messages(result)
    assert result.summary["rows"] == 3
    assert Unit.objects.filter(code__startswith="BK").count() == 3
    # The header and the units, then one run of blank rows: not a million rows of 16,384 cells.
    assert len(rows_read) <= len(UNITS) + 1 + reader.BLANK_RUN_END + 1
    assert max(rows_read) <= reader.XLSX_HEADER_COLUMNS


def test_the_upload_page_imports_such_a_workbook(personas, login, rows_read):
    data = workbook_bytes(
        [["STP-CB3", "Chi bộ 3", "STP", "cell", None, "2024-01-01", None, None]], corner="x"
    )
    client = login(personas["admin"])
    response = client.post(reverse("orgs:import_upload"), {"file": SimpleUploadedFile("don-vi.xlsx", data)})
    assert response.status_code == 302
    assert UnitImport.objects.get().status == UnitImport.Status.DONE
    assert Unit.objects.filter(code="STP-CB3").exists()


@pytest.mark.parametrize("build", [csv_bytes, workbook_bytes], ids=["csv", "xlsx"])
def test_blank_rows_count_towards_the_row_limit(catalogue, monkeypatch, build):
    monkeypatch.setattr(reader, "MAX_ROWS", 5)
    name = "don-vi.csv" if build is csv_bytes else "don-vi.xlsx"
    # With two blank rows after each unit the last unit is on row 8, though the file holds only three.
    result = apply.import_file(data=build(UNITS, gaps=2), filename=name, by=SYSTEM)
    assert messages(result) == ["Tệp có nhiều hơn 5 dòng; hãy chia thành nhiều tệp."]
    assert not Unit.objects.filter(code__startswith="BK").exists()
    # With one it is on row 6: the header and 5 rows, allowed.
    result = apply.import_file(data=build(UNITS, gaps=1), filename=name, by=SYSTEM)
    assert result.ok, messages(result)


@pytest.mark.parametrize("build", [csv_bytes, workbook_bytes], ids=["csv", "xlsx"])
def test_reading_stops_after_a_long_run_of_blank_rows(catalogue, monkeypatch, build):
    monkeypatch.setattr(reader, "BLANK_RUN_END", 3)
    name = "don-vi.csv" if build is csv_bytes else "don-vi.xlsx"
    result = apply.import_file(
        data=build([*UNITS, [], [], [], ["không phải đơn vị"]]), filename=name, by=SYSTEM
    )
    assert result.ok, messages(result)
    assert result.summary["rows"] == 3


def test_a_file_that_is_only_blank_rows_is_empty(catalogue):
    result = apply.import_file(
        data=b"\n" * (reader.BLANK_RUN_END + 5) + b"BK\n", filename="don-vi.csv", by=SYSTEM
    )
    assert messages(result) == ["Tệp rỗng."]


def test_a_workbook_declaring_too_small_a_sheet_is_still_read_whole(catalogue):
    def shrink(xml: bytes) -> bytes:
        xml, count = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', xml)
        assert count == 1
        return xml

    result = apply.import_file(
        data=rewrite_sheet(workbook_bytes(UNITS), shrink), filename="don-vi.xlsx", by=SYSTEM
    )
    assert result.ok, messages(result)
    assert result.summary["rows"] == 3


def test_a_cell_just_past_the_header_is_still_reported(catalogue):
    data = workbook_bytes([[*UNITS[0], None, "thừa"]])
    result = apply.import_file(data=data, filename="don-vi.xlsx", by=SYSTEM)
    assert messages(result) == ["Dòng 2: Dòng này có nhiều ô hơn số cột của dòng tiêu đề."]


def rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through `change`."""
    patched = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(patched, "w") as new:
        for item in old.infolist():
            content = old.read(item.filename)
            new.writestr(item, change(content) if item.filename == "xl/worksheets/sheet1.xml" else content)
    return patched.getvalue()


def test_a_workbook_with_an_empty_first_sheet_is_empty(catalogue):
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    result = apply.import_file(data=buffer.getvalue(), filename="don-vi.xlsx", by=SYSTEM)
    assert messages(result) == ["Tệp rỗng."]


def test_a_sheet_broken_after_its_header_is_refused(catalogue):
    data = rewrite_sheet(workbook_bytes(UNITS), lambda xml: xml.replace(b"</sheetData>", b"<row r="))
    result = apply.import_file(data=data, filename="don-vi.xlsx", by=SYSTEM)
    assert messages(result) == ["Tệp không phải là sổ tính XLSX hợp lệ."]
