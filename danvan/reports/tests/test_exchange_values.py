"""Bulk values files (exchange.import_values_file): reading the file, scoping, all or nothing."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from danvan.accounts.actors import System
from danvan.core import tables
from danvan.core.tables import FileRejected
from danvan.reports import exchange, selectors, services
from danvan.reports.models import DataValue

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

HEADER = "unit_code,period,element_code,value\n"


def _import_bytes(data: bytes, by=SYSTEM, filename="so-lieu.csv") -> int:
    """The file through the upload checker (as the page and the command check it), then imported."""
    return exchange.import_values_file(checked=tables.check_upload(data, name=filename), by=by)


def _import(text: str, by=SYSTEM, filename="so-lieu.csv") -> int:
    return _import_bytes(text.encode("utf-8"), by=by, filename=filename)


def _errors(text: str, by=SYSTEM) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        _import(text, by=by)
    return exchange.error_lines(caught.value)


def _imported() -> dict[tuple[str, str, str], int]:
    return {
        (unit, element, category): value
        for unit, element, category, value in DataValue.objects.filter(source="imported").values_list(
            "unit__code", "element__code", "category", "value"
        )
    }


def test_a_csv_saved_by_a_vietnamese_spreadsheet_is_read(tree, indicators):
    text = "\ufeffvalue;Element_Code;period;unit_code\n1.673;MEMBERS_TOTAL;2026S1;STP\n"

    assert _import(text) == 1
    assert _imported() == {("STP", "MEMBERS_TOTAL", ""): 1673}


def test_an_xlsx_file_is_read_from_its_first_sheet_numbers_as_numbers(tree, indicators):
    workbook = openpyxl.Workbook()
    workbook.active.append(["unit_code", "period", "element_code", "value"])
    workbook.active.append(["STP", "2026S1", "STAFF_ELIGIBLE", 50])
    workbook.active.append(["STP", 2026, "STAFF_ELIGIBLE", 100.0])  # an annual period typed as a number
    buffer = io.BytesIO()
    workbook.save(buffer)

    count = _import_bytes(buffer.getvalue(), filename="so-lieu.xlsx")

    assert count == 2
    assert dict(DataValue.objects.filter(source="imported").values_list("period__code", "value")) == {
        "2026S1": 50,
        "2026": 100,
    }


def test_a_decimal_in_an_xlsx_value_is_refused(tree, indicators):
    workbook = openpyxl.Workbook()
    workbook.active.append(["unit_code", "period", "element_code", "value"])
    workbook.active.append(["STP", "2026S1", "STAFF_ELIGIBLE", 50.5])
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(ValidationError) as caught:
        _import_bytes(buffer.getvalue(), filename="so-lieu.xlsx")
    assert exchange.error_lines(caught.value) == ["Dòng 2: Hãy nhập số nguyên, không có phần thập phân."]
    assert _imported() == {}


def test_missing_and_unknown_columns_are_named(tree, indicators):
    with pytest.raises(FileRejected) as caught:
        _import("unit_code,period,value\nSTP,2026S1,5\n")
    assert "element_code" in str(caught.value)
    with pytest.raises(FileRejected) as caught:
        _import(HEADER.strip() + ",note\nSTP,2026S1,STAFF_ELIGIBLE,5,x\n")
    assert "note" in str(caught.value)


def test_a_column_named_twice_is_refused(tree, indicators):
    with pytest.raises(FileRejected) as caught:
        _import("unit_code,period,element_code,value,value\nSTP,2026S1,STAFF_ELIGIBLE,5,6\n")
    assert "value" in str(caught.value)
    assert _imported() == {}


def test_a_header_alone_an_empty_file_and_another_format_are_refused(tree, indicators):
    for text, filename in (
        (HEADER, "a.csv"),
        ("", "a.csv"),
        (HEADER + "STP,2026S1,STAFF_ELIGIBLE,5\n", "a.txt"),
    ):
        with pytest.raises(FileRejected):
            _import(text, filename=filename)


@override_settings(UNIT_IMPORT_MAX_BYTES=100)
def test_a_file_over_the_size_limit_is_refused_before_reading(tree, indicators):
    with pytest.raises(FileRejected, match="100"):
        _import(HEADER + "STP,2026S1,STAFF_ELIGIBLE,5\n" * 10)


def test_an_empty_value_and_a_unit_that_did_not_exist_in_the_period_are_errors(tree, indicators):
    lines = _errors(HEADER + "STP,2026S1,STAFF_ELIGIBLE,\nSTP,2019S1,STAFF_ELIGIBLE,5\n")
    assert lines[0] == "Dòng 2: Giá trị đang để trống."
    assert lines[1].startswith("Dòng 3: ") and "STP" in lines[1] and "2019S1" in lines[1]


def test_a_total_and_its_categories_together_are_refused(tree, indicators):
    text = HEADER.strip() + ",category\nSTP,2026S1,MEMBERS_TOTAL,100,\nSTP,2026S1,MEMBERS_TOTAL,60,nam\n"
    lines = _errors(text)
    assert len(lines) == 1 and lines[0].startswith("Dòng 3: ")
    assert _imported() == {}


def test_an_administrator_imports_only_inside_their_subtree(tree, indicators, personas):
    admin_at_stp = personas["bloc_admin"]
    lines = _errors(HEADER + "STP,2026S1,STAFF_ELIGIBLE,5\nSYT,2026S1,STAFF_ELIGIBLE,5\n", by=admin_at_stp)
    # SYT is outside their subtree: answered exactly like a unit that does not exist.
    assert lines == ["Dòng 3: Mã đơn vị “SYT” không tồn tại."]
    assert _imported() == {}
    assert _import(HEADER + "STP,2026S1,STAFF_ELIGIBLE,5\n", by=admin_at_stp) == 1


def test_a_locked_report_refuses_imported_values(tree, indicators, personas, approved):
    report = approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50})
    services.report_lock(report=report, by=personas["admin"])

    lines = _errors(HEADER + "STP,2026S1,STAFF_ELIGIBLE,60\nSYT,2026S1,STAFF_ELIGIBLE,5\n")

    assert len(lines) == 1 and lines[0].startswith("Dòng 2: ")
    assert DataValue.objects.get(unit=tree.stp, element__code="STAFF_ELIGIBLE").value == 50
    assert _imported() == {}


def test_an_import_replaces_an_approved_value_and_the_roll_up_follows(tree, indicators, approved):
    approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50})
    rate = indicators.indicators["MASS_GATHERING_RATE"]

    _import(HEADER + "STP,2026S1,STAFF_ELIGIBLE,100\n")

    period = services.period_get(code="2026S1", by=SYSTEM)
    figures = selectors.figures(unit=tree.root, period=period, indicator=rate).as_dict()
    assert (figures["numerator"], figures["denominator"], figures["value"]) == (50, 100, 50.0)
    assert (figures["target_units"], figures["met_units"]) == (1, 0)


def test_categories_cannot_be_added_where_a_total_is_stored_nor_the_reverse(tree, indicators):
    from danvan.reports.services import ImportRow, values_import

    values_import(rows=[ImportRow(2, "STP", "2026S1", "MEMBERS_TOTAL", 100)], by=SYSTEM)
    with pytest.raises(ValidationError) as error:
        values_import(
            rows=[
                ImportRow(2, "STP", "2026S1", "MEMBERS_TOTAL", 60, "nam"),
                ImportRow(3, "STP", "2026S1", "MEMBERS_TOTAL", 40, "nữ"),
            ],
            by=SYSTEM,
        )
    assert set(error.value.message_dict) == {"2", "3"}
    values_import(rows=[ImportRow(2, "SYT", "2026S1", "MEMBERS_TOTAL", 60, "nam")], by=SYSTEM)
    with pytest.raises(ValidationError):
        values_import(rows=[ImportRow(2, "SYT", "2026S1", "MEMBERS_TOTAL", 60)], by=SYSTEM)
    # Nor can the unit type a total over the categories in its grid.
    period = services.period_get(code="2026S1", by=SYSTEM)
    report = services.report_open(form=indicators.forms["BC-DV-6T"], unit=tree.syt, period=period, by=SYSTEM)
    with pytest.raises(ValidationError) as error:
        services.values_save(report=report, values={"MEMBERS_TOTAL": 60}, by=SYSTEM)
    assert "theo phân loại" in error.value.message_dict["MEMBERS_TOTAL"][0]
    rate = indicators.indicators["MEMBER_ACTIVE_RATE"]
    assert selectors.figures(unit=tree.root, period=period, indicator=rate).denominator == 160
