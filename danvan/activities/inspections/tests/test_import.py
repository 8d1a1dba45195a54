"""The import of existing inspection and supervision registers (`--kind inspection`): one row an
inspected unit's findings and remedy, rows of one inspecting unit, title and year one programme;
checked by the rules of the services, all saved or none, per-line messages in Vietnamese."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from danvan.activities.inspections.models import Inspection, Kind, Remedy, State, Target
from danvan.activities.registers import REGISTERS, Row
from danvan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = (
    "inspecting_unit_code,kind,title,year,inspected_unit_code,conducted_on,strengths,shortcomings,"
    "conclusion,remedy,deadline\n"
)
TITLE = "Kiểm tra công tác dân vận năm 2025"


def row(line, **cells):
    values = {
        "inspecting_unit_code": "DUK",
        "kind": "Kiểm tra",
        "title": TITLE,
        "year": "2025",
        "inspected_unit_code": "STP",
        "conducted_on": "15/09/2025",
        "conclusion": "Cơ bản hoàn thành",
    }
    values.update(cells)
    return Row(line, values)


def _import(rows, by):
    return REGISTERS["inspection"].import_rows(rows=rows, by=by)


def _refused(rows, by) -> dict:
    with pytest.raises(ValidationError) as error:
        _import(rows, by)
    assert not Inspection.objects.exists() and not Target.objects.exists() and not Remedy.objects.exists()
    return error.value.message_dict


def _command(tmp_path, text):
    path = tmp_path / "kiem-tra.csv"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import-activities", str(path), kind="inspection", stdout=out, stderr=err)
    except CommandError as error:
        return None, err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def test_the_register_is_importable_and_its_example_follows_its_own_rules(tree, people):
    item = REGISTERS["inspection"]
    assert item.importable
    assert item.columns == ("inspecting_unit_code", "kind", "title", "year", "inspected_unit_code")
    names = (*item.columns, *item.optional)
    rows = [Row(line, dict(zip(names, cells, strict=False))) for line, cells in enumerate(item.example, 2)]
    assert _import(rows, people["inspector"]) == 3  # the sample file a user downloads imports as it is
    assert Inspection.objects.count() == 2 and Remedy.objects.count() == 2


def test_a_good_file_makes_one_programme_per_unit_title_and_year_and_is_audited(tree, tmp_path):
    text = HEADER + "\n".join(
        [
            f"DUK,Kiểm tra,{TITLE},2025,STP,15/09/2025,Đối thoại định kỳ,Chưa sinh hoạt chuyên đề,"
            "Cơ bản hoàn thành,Tổ chức sinh hoạt chuyên đề,31/12/2025",
            f"duk,KIEM TRA,{TITLE.upper()},2025,stp,,,,,Công khai kết quả,2025-10-31",
            f"DUK,kiểm tra,{TITLE},2025,SYT,,,,,,",
            "DUK,giám sát,Giám sát quy chế dân chủ,2024,SYT-CB1,2024-05-20,,Chậm công khai,Cần khắc phục,,",
            "STP,supervision,Giám sát chi bộ,2025,STP-CB1,,,,,,",
        ]
    )
    out, err, failure = _command(tmp_path, text + "\n")
    assert failure is None, err
    assert "Đã nhập 5 dòng" in out
    programme = Inspection.objects.get(title=TITLE)
    assert (programme.unit, programme.kind, programme.year) == (tree.root, Kind.INSPECTION, 2025)
    assert programme.state == State.IN_PROGRESS  # STP has findings, SYT not yet
    assert (programme.starts_on, programme.ends_on) == (
        datetime.date(2025, 9, 15),
        datetime.date(2025, 9, 15),
    )
    stp = programme.targets.get(unit=tree.stp)
    assert (stp.conducted_on, stp.strengths, stp.shortcomings, stp.conclusion) == (
        datetime.date(2025, 9, 15),
        "Đối thoại định kỳ",
        "Chưa sinh hoạt chuyên đề",
        "Cơ bản hoàn thành",
    )
    assert list(stp.remedies.values_list("content", "due_on")) == [
        ("Công khai kết quả", datetime.date(2025, 10, 31)),
        ("Tổ chức sinh hoạt chuyên đề", datetime.date(2025, 12, 31)),
    ]
    assert programme.targets.get(unit=tree.syt).conducted_on is None
    supervision = Inspection.objects.get(year=2024)
    assert (supervision.kind, supervision.state) == (Kind.SUPERVISION, State.CONCLUDED)
    planned = Inspection.objects.get(unit=tree.stp)
    assert planned.state == State.PLANNED
    assert (planned.starts_on, planned.ends_on) == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    events = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT, model="inspections.inspection")
    assert {event.unit_id for event in events} == {tree.root.pk, tree.stp.pk}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, model="inspections.remedy").count() == 2


def test_one_bad_row_saves_nothing_and_the_command_names_its_line(tree, tmp_path):
    text = (
        HEADER + f"DUK,Kiểm tra,{TITLE},2025,STP,15/09/2025,,,Tốt,,\nDUK,Thanh tra,{TITLE},2025,SYT,,,,,,\n"
    )
    out, err, failure = _command(tmp_path, text)
    assert out is None and "không có gì được lưu" in failure
    assert "Dòng 3: Hình thức “Thanh tra” không thuộc: Kiểm tra, Giám sát." in err
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    "cells, message",
    [
        ({"inspected_unit_code": "DUK"}, "Các đơn vị sau không trực thuộc Đảng ủy Khối các cơ quan tỉnh"),
        (
            {"remedy": "Khắc phục", "deadline": "01/09/2025"},
            "Thời hạn 01/09/2025 trước ngày tiến hành kiểm tra",
        ),
        ({"remedy": "Khắc phục"}, "Hãy nhập thời hạn khắc phục."),
        ({"deadline": "31/12/2025"}, "Hãy nhập nội dung kiến nghị, yêu cầu khắc phục."),
        (
            {"conducted_on": "", "conclusion": "", "remedy": "Khắc phục", "deadline": "31/12/2025"},
            "Hãy ghi kết quả kiểm tra tại đơn vị này",
        ),
        ({"conclusion": ""}, "Hãy nhập kết luận."),
        ({"conducted_on": ""}, "Hãy nhập ngày tiến hành kiểm tra."),
        ({"kind": "Thanh tra"}, "Hình thức “Thanh tra” không thuộc"),
        ({"year": "năm nay"}, "Năm “năm nay” không phải là một năm."),
        ({"year": "1999"}, "Năm phải từ 2000 đến"),
        ({"title": ""}, "Hãy nhập tên"),
        ({"conducted_on": "30/02/2025"}, "không phải là ngày"),
    ],
)
def test_each_rule_refuses_the_line(tree, people, cells, message):
    rows = [row(2, inspected_unit_code="SYT", title="Khác"), row(3, **cells)]
    errors = _refused(rows, people["inspector"])
    assert list(errors) == [3]
    assert any(text.startswith(message) or message in text for text in errors[3]), errors[3]


def test_the_rows_of_one_programme_agree(tree, people):
    errors = _refused(
        [row(2), row(3, inspected_unit_code="SYT", kind="Giám sát"), row(4, conclusion="Tốt")],
        people["inspector"],
    )
    assert errors == {
        3: ["Dòng 2 đã ghi chương trình này là kiểm tra: một chương trình chỉ có một hình thức."],
        4: ["Kết quả tại Đảng ủy Sở Tư pháp đã ghi ở dòng 2: chỉ ghi một lần."],
    }


def test_a_unit_outside_the_scope_and_a_future_date_are_refused(tree, people, today):
    officer = people["inspected"]  # STP's officer
    tomorrow = (today + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    errors = _refused(
        [
            row(2, inspecting_unit_code="STP", inspected_unit_code="STP-CB1"),
            row(3),  # DUK is above the officer
            row(4, inspecting_unit_code="STP", inspected_unit_code="SYT-CB1"),
            row(5, inspecting_unit_code="STP", inspected_unit_code="STP-CB2", conducted_on=tomorrow),
        ],
        officer,
    )
    assert errors == {
        3: ["Đơn vị DUK không tồn tại hoặc nằm ngoài phạm vi của bạn."],
        4: ["Đơn vị SYT-CB1 không tồn tại hoặc nằm ngoài phạm vi của bạn."],
        5: [f"Ngày tiến hành {tomorrow} là ngày trong tương lai."],
    }
    assert _import([row(2, inspecting_unit_code="STP", inspected_unit_code="STP-CB1")], officer) == 1


def test_whoever_records_nowhere_may_not_import(tree, people):
    with pytest.raises(PermissionDenied):
        _import([row(2)], people["viewer"])
    assert not Inspection.objects.exists()
