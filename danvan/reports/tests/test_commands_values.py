"""Commands: `danvan import-values FILE`, `danvan analytics … --json`, `danvan rollup --rebuild`."""

import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from danvan.reports.models import DataValue, ElementRollup, IndicatorRollup, PeriodUnit, UnitIndicator

pytestmark = pytest.mark.django_db

KEYS = [
    "unit",
    "period",
    "indicator",
    "as_of",
    "numerator",
    "denominator",
    "value",
    "target",
    "met",
    "target_units",
    "met_units",
]


def _csv(tmp_path, text: str, name="so-lieu.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _xlsx(tmp_path, rows: list[list], name="so-lieu.xlsx"):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return str(path)


def _analytics(unit="DUK", period="2026S1", indicator="MASS_GATHERING_RATE", *extra) -> dict:
    out = io.StringIO()
    call_command(
        "analytics",
        "--unit",
        unit,
        "--period",
        period,
        "--indicator",
        indicator,
        "--json",
        *extra,
        stdout=out,
    )
    return json.loads(out.getvalue())


def _import(path) -> tuple[str, str, CommandError | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import-values", path, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def _imported() -> int:
    return DataValue.objects.filter(source=DataValue.Source.IMPORTED).count()


def test_a_csv_import_is_approved_and_counted_by_analytics_at_once(tree, indicators, tmp_path):
    path = _csv(
        tmp_path,
        "element_code,value,unit_code,period\n"  # the header in any order
        "STAFF_ELIGIBLE,50,STP,2026S1\n"
        "STAFF_IN_MASS_ORGS,50,STP,2026S1\n"
        "STAFF_ELIGIBLE,40,SYT,2026S1\n"
        "STAFF_IN_MASS_ORGS,30,syt,2026s1\n",
    )

    out, _err, error = _import(path)

    assert error is None
    assert "Đã nhập 4 giá trị." in out
    assert set(DataValue.objects.filter(source="imported").values_list("approved", flat=True)) == {True}
    result = _analytics()
    assert list(result) == KEYS
    assert (
        result["unit"] == "DUK"
        and result["period"] == "2026S1"
        and result["indicator"] == "MASS_GATHERING_RATE"
    )
    assert result["as_of"] == "2026-06-30"
    assert (result["numerator"], result["denominator"]) == (80, 90)
    assert result["value"] == pytest.approx(80 / 90 * 100)
    assert (result["target"], result["met"]) == (None, None)  # the bloc belongs to no unit group
    assert (result["target_units"], result["met_units"]) == (2, 1)  # STP meets ≥ 100, SYT does not
    stp = _analytics("STP")
    assert (stp["value"], stp["target"], stp["met"], stp["target_units"], stp["met_units"]) == (
        100.0,
        100,
        True,
        1,
        1,
    )


def test_an_xlsx_import_with_a_category_column_is_counted(tree, indicators, tmp_path):
    path = _xlsx(
        tmp_path,
        [
            ["unit_code", "period", "element_code", "value", "category"],
            ["STP", "2026S1", "MEMBERS_TOTAL", 60, "nam"],
            ["STP", "2026S1", "MEMBERS_TOTAL", 40, "nu"],
            ["STP", "2026S1", "MEMBERS_ACTIVE", 85, ""],
        ],
    )

    _out, _err, error = _import(path)

    assert error is None
    result = _analytics("STP", "2026S1", "MEMBER_ACTIVE_RATE")
    assert (result["numerator"], result["denominator"], result["value"], result["met"]) == (
        85,
        100,
        85.0,
        True,
    )


def test_analytics_gives_null_value_target_and_met_where_they_do_not_apply(tree, indicators):
    result = _analytics("STP", "2026S1", "MEDIATION_SUCCESS_RATE")
    assert list(result) == KEYS
    assert (result["numerator"], result["denominator"]) == (0, 0)
    assert (result["value"], result["target"], result["met"]) == (None, None, None)
    assert (result["target_units"], result["met_units"]) == (0, 0)


def test_analytics_as_of_a_date_says_so(tree, indicators, tmp_path):
    _import(
        _csv(
            tmp_path,
            "unit_code,period,element_code,value\nSTP,2026S1,STAFF_ELIGIBLE,10\nSTP,2026S1,STAFF_IN_MASS_ORGS,7\n",
        )
    )
    result = _analytics("DUK", "2026S1", "MASS_GATHERING_RATE", "--as-of", "2026-12-31")
    assert result["as_of"] == "2026-12-31"
    assert (result["numerator"], result["denominator"], result["value"]) == (7, 10, 70.0)


def test_analytics_refuses_unknown_codes_in_vietnamese(tree, indicators):
    with pytest.raises(CommandError, match="Mã đơn vị “XYZ” không tồn tại"):
        _analytics("XYZ")
    with pytest.raises(CommandError, match="2026S3"):
        _analytics("DUK", "2026S3")
    with pytest.raises(CommandError):
        _analytics("DUK", "2026S1", "NO_SUCH_RATE")


def test_every_bad_row_is_reported_and_nothing_is_saved(tree, indicators, tmp_path):
    path = _csv(
        tmp_path,
        "unit_code,period,element_code,value\n"
        "STP,2026S1,STAFF_ELIGIBLE,50\n"  # 2: good
        "XYZ,2026S1,STAFF_ELIGIBLE,5\n"  # 3: unknown unit
        "STP,2026S1,NO_SUCH_ELEMENT,5\n"  # 4: unknown element
        "STP,2026S3,STAFF_ELIGIBLE,5\n"  # 5: bad period
        "STP,2026S1,MEMBERS_TOTAL,abc\n"  # 6: text in value
        "STP,2026S1,MEMBERS_ACTIVE,-4\n"  # 7: negative
        "STP,2026S1,GRASSROOTS_ORGS,1\n"  # 8: derived element
        "STP,2026S1,STAFF_ELIGIBLE,51\n",  # 9: the same value again
    )

    _out, err, error = _import(path)

    assert error is not None and "không có gì được lưu" in str(error) and "7 lỗi" in str(error)
    lines = err.splitlines()
    assert lines[0] == "Dòng 3: Mã đơn vị “XYZ” không tồn tại."
    assert lines[1] == "Dòng 4: Chỉ tiêu “NO_SUCH_ELEMENT” không tồn tại."
    assert lines[2].startswith("Dòng 5: ") and "2026S3" in lines[2]
    assert lines[3] == "Dòng 6: “abc” không phải là số."
    assert lines[4].startswith("Dòng 7: ") and "không được là số âm" in lines[4]
    assert lines[5].startswith("Dòng 8: ") and "được tính từ hồ sơ" in lines[5]
    assert lines[6] == "Dòng 9: Giá trị này đã có ở dòng 2."
    assert _imported() == 0


def test_one_bad_row_keeps_every_good_row_out(tree, indicators, tmp_path):
    rows = "".join(
        f"STP,2026S1,{code},10\n" for code in ("STAFF_ELIGIBLE", "MEMBERS_TOTAL", "MASS_ORGS_TOTAL")
    )
    path = _csv(
        tmp_path, "unit_code,period,element_code,value\n" + rows + "STP,2026S1,SUGGESTION_BOXES,mười\n"
    )

    _out, _err, error = _import(path)
    assert error is not None
    assert _imported() == 0
    assert _analytics("STP")["denominator"] == 0


def test_a_file_without_the_required_columns_is_refused(tree, indicators, tmp_path):
    _out, _err, error = _import(
        _csv(tmp_path, "unit,period,element_code,value\nSTP,2026S1,STAFF_ELIGIBLE,1\n")
    )
    assert error is not None and "unit_code" in str(error)
    _out, _err, error = _import(str(tmp_path / "khong-co.csv"))
    assert error is not None
    assert _imported() == 0


def test_rollup_rebuild_restores_the_figures_after_the_tables_are_emptied(
    tree, indicators, tmp_path, approved
):
    approved(tree.stp, "2026S1", {"STAFF_ELIGIBLE": 50, "STAFF_IN_MASS_ORGS": 50})
    _import(
        _csv(
            tmp_path,
            "unit_code,period,element_code,value\nSYT,2026S1,STAFF_ELIGIBLE,40\nSYT,2026S1,STAFF_IN_MASS_ORGS,30\n",
        )
    )
    before = _analytics()
    assert (before["numerator"], before["denominator"], before["target_units"], before["met_units"]) == (
        80,
        90,
        2,
        1,
    )

    for model in (ElementRollup, IndicatorRollup, UnitIndicator, PeriodUnit):
        model.objects.all().delete()
    emptied = _analytics()
    assert (emptied["numerator"], emptied["denominator"], emptied["target_units"]) == (0, 0, 0)

    out = io.StringIO()
    call_command("rollup", "--rebuild", stdout=out)
    assert "2026S1" in out.getvalue()
    assert _analytics() == before


def test_rollup_without_rebuild_explains_itself(tree, indicators):
    with pytest.raises(CommandError):
        call_command("rollup")
