"""XLSX templates: download, fill offline, upload; all or nothing, errors per cell, scoped to the unit."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.accounts.actors import System
from danvan.reports import selectors, services
from danvan.reports.models import DataValue, Report

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _periods(prepare):
    """The half-years the templates are for, prepared as the nightly job does (a download only reads)."""
    prepare("2026S1")
    prepare("2026S2")


TEMPLATE = "/reports/BC-DV-6T/{unit}/{period}/template.xlsx"
UPLOAD = "/reports/BC-DV-6T/{unit}/{period}/upload/"


def _download(client, unit="STP", period="2026S1"):
    response = client.get(TEMPLATE.format(unit=unit, period=period))
    assert response.status_code == 200, response.status_code
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _rows(sheet) -> dict[str, int]:
    """element code → row, read from the visible sheet."""
    return {sheet[f"B{row}"].value: row for row in range(8, sheet.max_row + 1) if sheet[f"B{row}"].value}


def _fill(workbook, values: dict[str, object], comments: dict[str, str] | None = None) -> bytes:
    sheet = workbook.worksheets[0]
    rows = _rows(sheet)
    for code, value in values.items():
        sheet[f"E{rows[code]}"] = value
    for code, text in (comments or {}).items():
        sheet[f"F{rows[code]}"] = text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, data: bytes, unit="STP", period="2026S1", name="bao-cao.xlsx"):
    return client.post(UPLOAD.format(unit=unit, period=period), {"file": SimpleUploadedFile(name, data)})


def _saved(unit, period="2026S1") -> dict[str, int]:
    """The values typed for the unit (not those the registry derives)."""
    return dict(
        DataValue.objects.filter(unit=unit, period__code=period)
        .exclude(source=DataValue.Source.DERIVED)
        .values_list("element__code", "value")
    )


def test_the_template_has_vietnamese_headings_and_one_row_per_field_in_section_order(
    tree, indicators, personas, login
):
    sheet = _download(login(personas["reporter"])).worksheets[0]

    assert sheet["A1"].value == "Báo cáo công tác dân vận 6 tháng"
    assert sheet["A2"].value == "Đơn vị: Đảng ủy Sở Tư pháp (STP)"
    assert sheet["A3"].value == "Kỳ báo cáo: 6 tháng đầu năm 2026 (2026S1)"
    assert sheet["A4"].value == "Hạn nộp: 15/07/2026"
    assert [cell.value for cell in sheet[7]] == [
        "STT",
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Kỳ trước",
        "Giá trị",
        "Ghi chú",
    ]
    form = indicators.forms["BC-DV-6T"]
    assert list(_rows(sheet)) == [element.code for element in selectors.form_elements(form)]
    assert sheet["A8"].value == "I. Công tác tập hợp, đoàn kết"  # a section title, then its fields
    assert (sheet["A9"].value, sheet["B9"].value) == (1, "STAFF_ELIGIBLE")


def test_the_sheet_is_protected_and_only_value_and_comment_cells_are_unlocked(
    tree, indicators, personas, login
):
    workbook = _download(login(personas["reporter"]))
    sheet = workbook.worksheets[0]
    row = _rows(sheet)["MEMBERS_ACTIVE"]

    assert sheet.protection.sheet is True
    assert workbook.security.lockStructure is True
    assert sheet[f"E{row}"].protection.locked is False
    assert sheet[f"F{row}"].protection.locked is False
    for column in "ABCD":
        assert sheet[f"{column}{row}"].protection.locked is True
    assert sheet["A1"].protection.locked is True

    validation = next(v for v in sheet.data_validations.dataValidation if f"E{row}" in str(v.sqref))
    assert validation.type == "whole" and validation.formula1 == "0"
    assert validation.showErrorMessage and validation.error == "Nhập một số nguyên không nhỏ hơn 0."

    meta = workbook["danvan_meta"]
    assert meta.sheet_state == "veryHidden"
    assert {r[0].value: r[1].value for r in meta.iter_rows(max_row=4)} == {
        "version": "danvan-report-template/1",
        "form": "BC-DV-6T",
        "unit": "STP",
        "period": "2026S1",
    }


def test_the_template_shows_the_previous_period_and_is_prefilled_with_current_values(
    tree, indicators, personas, login, approved
):
    approved(tree.stp, "2025S2", {"STAFF_ELIGIBLE": 48, "STAFF_IN_MASS_ORGS": 45})
    period = services.period_get(code="2026S1", by=SYSTEM)
    report = services.report_open(form=indicators.forms["BC-DV-6T"], unit=tree.stp, period=period, by=SYSTEM)
    services.values_save(
        report=report, values={"STAFF_ELIGIBLE": 50}, comments={"STAFF_ELIGIBLE": "Tăng 2"}, by=SYSTEM
    )

    sheet = _download(login(personas["reporter"])).worksheets[0]
    row = _rows(sheet)["STAFF_ELIGIBLE"]
    assert [sheet[f"{c}{row}"].value for c in "DEF"] == [48, 50, "Tăng 2"]
    row = _rows(sheet)["MEMBERS_TOTAL"]
    assert [sheet[f"{c}{row}"].value for c in "DEF"] == [None, None, None]


def test_a_filled_template_uploaded_saves_its_values_and_comments(tree, indicators, personas, login):
    client = login(personas["reporter"])
    data = _fill(
        _download(client),
        {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 49, "MEMBERS_TOTAL": "1.673", "MEMBERS_ACTIVE": 1500},
        {"MEMBERS_TOTAL": "Số liệu tháng 6"},
    )

    response = _upload(client, data)

    assert response.status_code == 200
    assert "Số giá trị đã lưu từ biểu mẫu: 4." in response.content.decode()
    assert _saved(tree.stp) == {
        "STAFF_ELIGIBLE": 50,
        "STAFF_IN_MASS_ORGS": 49,
        "MEMBERS_TOTAL": 1673,
        "MEMBERS_ACTIVE": 1500,
    }
    assert DataValue.objects.get(unit=tree.stp, element__code="MEMBERS_TOTAL").comment == "Số liệu tháng 6"
    report = Report.objects.get(unit=tree.stp, period__code="2026S1")
    assert report.status == Report.Status.DRAFT  # saved as a draft: submitting is a separate step


def test_text_in_a_value_cell_is_reported_by_cell_and_nothing_is_saved(tree, indicators, personas, login):
    client = login(personas["reporter"])
    workbook = _download(client)
    row = _rows(workbook.worksheets[0])["MEMBERS_ACTIVE"]
    data = _fill(workbook, {"STAFF_ELIGIBLE": 50, "MEMBERS_ACTIVE": "abc", "MASS_ORGS_TOTAL": -3})

    response = _upload(client, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert f"Ô E{row} (MEMBERS_ACTIVE): “abc” không phải là số." in page
    assert "nothing" not in page and "không có gì được lưu" in page
    assert _saved(tree.stp) == {}


def test_rule_problems_are_listed_by_cell_but_the_draft_is_saved(tree, indicators, personas, login):
    client = login(personas["reporter"])
    workbook = _download(client)
    rows = _rows(workbook.worksheets[0])
    data = _fill(workbook, {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 45})

    response = _upload(client, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Các ô E{rows['STAFF_IN_MASS_ORGS']}, E{rows['STAFF_ELIGIBLE']}" in page or (
        f"Các ô E{rows['STAFF_ELIGIBLE']}, E{rows['STAFF_IN_MASS_ORGS']}" in page
    )
    assert "(45)" in page and "(40)" in page
    assert _saved(tree.stp) == {"STAFF_ELIGIBLE": 40, "STAFF_IN_MASS_ORGS": 45}


def test_a_negative_value_is_saved_as_a_draft_but_flagged_for_its_cell(tree, indicators, personas, login):
    client = login(personas["reporter"])
    workbook = _download(client)
    row = _rows(workbook.worksheets[0])["MASS_ORGS_TOTAL"]

    response = _upload(client, _fill(workbook, {"MASS_ORGS_TOTAL": -3}))

    assert f"Ô E{row} (MASS_ORGS_TOTAL): Tổ chức cơ sở đoàn thể" in response.content.decode()


def test_the_template_of_another_period_is_rejected_with_a_clear_message(tree, indicators, personas, login):
    client = login(personas["reporter"])
    data = _fill(_download(client, period="2026S2"), {"STAFF_ELIGIBLE": 50})

    response = _upload(client, data, period="2026S1")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Biểu mẫu này dành cho mẫu báo cáo BC-DV-6T, đơn vị STP, kỳ 2026S2" in page
    assert _saved(tree.stp) == {}


def test_a_workbook_that_is_not_a_template_is_rejected(tree, indicators, personas, login):
    client = login(personas["reporter"])
    workbook = openpyxl.Workbook()
    workbook.active.append(["unit_code", "period", "element_code", "value"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = _upload(client, buffer.getvalue())
    assert response.status_code == 400
    assert "không phải là biểu mẫu báo cáo của DânVận" in response.content.decode()

    response = _upload(client, b"not a zip at all", name="gia.xlsx")
    assert response.status_code == 400
    assert "không phải là sổ tính XLSX hợp lệ" in response.content.decode()


def test_a_template_whose_rows_were_moved_is_rejected(tree, indicators, personas, login):
    client = login(personas["reporter"])
    workbook = _download(client)
    sheet = workbook.worksheets[0]
    sheet.protection.sheet = False
    sheet["B9"], sheet["B10"] = sheet["B10"].value, sheet["B9"].value
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = _upload(client, buffer.getvalue())

    assert response.status_code == 400
    assert "Ô B9 (STAFF_ELIGIBLE): các dòng đã bị thay đổi" in response.content.decode()


def test_a_submitted_report_refuses_the_upload(tree, indicators, personas, login):
    client = login(personas["reporter"])
    workbook = _download(client)
    assert not Report.objects.filter(unit=tree.stp).exists()  # a download opens no report
    period = services.period_get(code="2026S1", by=SYSTEM)
    report = services.report_open(form=indicators.forms["BC-DV-6T"], unit=tree.stp, period=period, by=SYSTEM)
    services.values_save(report=report, values={"STAFF_ELIGIBLE": 50}, by=SYSTEM)
    services.report_submit(report=report, by=SYSTEM)

    response = _upload(client, _fill(workbook, {"STAFF_ELIGIBLE": 60}))

    assert response.status_code == 400
    assert "Đã nộp" in response.content.decode()
    assert _saved(tree.stp) == {"STAFF_ELIGIBLE": 50}


def test_another_units_template_is_not_found_and_a_viewer_may_not_download(tree, indicators, personas, login):
    assert login(personas["outsider"]).get(TEMPLATE.format(unit="STP", period="2026S1")).status_code == 404
    assert login(personas["outsider"]).post(UPLOAD.format(unit="STP", period="2026S1")).status_code == 404
    assert login(personas["nobody"]).get(TEMPLATE.format(unit="STP", period="2026S1")).status_code == 404
    assert login(personas["viewer"]).get(TEMPLATE.format(unit="STP", period="2026S1")).status_code == 403
    assert login(personas["outsider"]).get(TEMPLATE.format(unit="SYT", period="2026S1")).status_code == 200
    # A cell does not report on the form; an unknown period code is no page either.
    assert (
        login(personas["reporter"]).get(TEMPLATE.format(unit="STP-CB1", period="2026S1")).status_code == 404
    )
    assert login(personas["reporter"]).get(TEMPLATE.format(unit="STP", period="2026S3")).status_code == 404
    assert not Report.objects.filter(unit=tree.stp).exists()  # refusals open no draft


def test_the_administrators_import_page_imports_a_values_file(tree, indicators, personas, login):
    body = "period,unit_code,value,element_code\n2026S1,STP,50,STAFF_ELIGIBLE\n2026S1,STP,45,STAFF_IN_MASS_ORGS\n"

    response = login(personas["admin"]).post(
        "/reports/import-values/", {"file": SimpleUploadedFile("so-lieu.csv", body.encode())}
    )

    assert response.status_code == 200
    assert "Số giá trị đã nhập: 2." in response.content.decode()
    assert set(DataValue.objects.filter(unit=tree.stp).values_list("approved", flat=True)) == {True}


def test_the_import_page_lists_the_errors_per_row_and_saves_nothing(tree, indicators, personas, login):
    body = "unit_code,period,element_code,value\nSTP,2026S1,STAFF_ELIGIBLE,50\nXYZ,2026S1,STAFF_ELIGIBLE,5\n"

    response = login(personas["admin"]).post(
        "/reports/import-values/", {"file": SimpleUploadedFile("so-lieu.csv", body.encode())}
    )

    assert response.status_code == 400
    assert "Dòng 3: Mã đơn vị “XYZ” không tồn tại." in response.content.decode()
    assert not DataValue.objects.filter(source="imported").exists()


def test_only_administrators_at_a_root_may_import_values(tree, indicators, personas, login):
    assert login(personas["admin"]).get("/reports/import-values/").status_code == 200
    for persona in ("bloc_admin", "reporter", "outsider", "nobody"):
        assert login(personas[persona]).get("/reports/import-values/").status_code == 403, persona


def test_a_comment_that_looks_like_a_formula_stays_text_and_comes_back_unchanged(
    tree, indicators, personas, login
):
    client = login(personas["reporter"])
    formula = '=HYPERLINK("http://example.invalid","xem")'
    _upload(client, _fill(_download(client), {"STAFF_ELIGIBLE": 50}))
    report = Report.objects.get(unit=tree.stp, period__code="2026S1")
    services.values_save(
        report=report,
        values={"STAFF_ELIGIBLE": 50},
        comments={"STAFF_ELIGIBLE": formula},
        by=personas["reporter"],
    )
    assert DataValue.objects.get(unit=tree.stp, element__code="STAFF_ELIGIBLE").comment == formula
    sheet = _download(client).worksheets[0]
    cell = sheet[f"F{_rows(sheet)['STAFF_ELIGIBLE']}"]
    assert (cell.data_type, cell.value) == ("s", formula)  # text, not a formula, exactly as typed
    # … and uploading that template again keeps the comment as it was.
    _upload(client, _fill(sheet.parent, {"STAFF_ELIGIBLE": 51}))
    assert DataValue.objects.get(unit=tree.stp, element__code="STAFF_ELIGIBLE").comment == formula
