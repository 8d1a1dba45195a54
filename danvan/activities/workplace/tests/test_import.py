"""The imports of the workplace registers (`--kind staff_conference`, `--kind disclosure`): the same
rules as the forms, every bad line named in Vietnamese, all saved or none, audited."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from danvan.activities import importing
from danvan.activities.registers import REGISTERS, Row
from danvan.activities.workplace.models import Category, Conference, Disclosure, Form
from danvan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year - 1
HELD = min(datetime.date(YEAR + 1, 1, 15), TODAY)
HELD_TEXT = HELD.strftime("%d/%m/%Y")


def _tomorrow() -> str:
    """Reckoned when the test runs, not when it is collected: a run can cross midnight."""
    return (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")


CONFERENCE_HEADER = "unit_code,year,held_on,staff_count,attendees,resolution_adopted,votes_for,valid,notes\n"
DISCLOSURE_HEADER = "unit_code,category,title,disclosed_on,form,period_covered\n"


def _rows(columns, *cells_list):
    return [
        Row(line, dict(zip(columns, cells, strict=True))) for line, cells in enumerate(cells_list, start=2)
    ]


def _conferences(*cells_list):
    return _rows(("unit_code", "year", "held_on", "staff_count", "attendees", "valid"), *cells_list)


def _disclosures(*cells_list):
    return _rows(("unit_code", "category", "title", "disclosed_on", "form"), *cells_list)


def _import(kind, rows, by):
    return REGISTERS[kind].import_rows(rows=rows, by=by)


def _refusal(kind, rows, by):
    with pytest.raises(ValidationError) as error:
        _import(kind, rows, by)
    return error.value.message_dict


def _command(tmp_path, kind, text):
    path = tmp_path / "so.csv"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import-activities", str(path), kind=kind, stdout=out, stderr=err)
    except CommandError as error:
        return None, err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def _xlsx(*rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("so.xlsx", data.getvalue())


def test_both_registers_are_importable_with_their_columns():
    conference, disclosure = REGISTERS["staff_conference"], REGISTERS["disclosure"]
    assert conference.importable and disclosure.importable
    assert conference.columns == ("unit_code", "year", "held_on", "staff_count", "attendees")
    assert conference.optional == ("resolution_adopted", "votes_for", "valid", "notes")
    assert disclosure.columns == ("unit_code", "category", "title", "disclosed_on", "form")
    assert "period_covered" in disclosure.optional
    assert {item.key for item in importing.importable()} >= {"staff_conference", "disclosure"}


def test_the_sample_rows_import_as_they_are(tree, personas):
    for kind in ("staff_conference", "disclosure"):
        item = REGISTERS[kind]
        names = (*item.columns, *item.optional)
        rows = [
            Row(line, dict(zip(names, cells, strict=True)))
            for line, cells in enumerate(importing.sample_rows(item), 2)
        ]
        assert _import(kind, rows, personas["admin"]) == len(rows)


def test_a_good_conference_file_is_saved_through_the_command_and_audited(tree, tmp_path):
    text = CONFERENCE_HEADER + (
        f"STP,{YEAR},{HELD_TEXT},30,20,có,11,Có,Hội nghị thường niên\n"  # exactly the quorum and a majority
        f'SYT,{YEAR},{HELD.isoformat()},"1.200",900,x,800,,\n'  # valid left empty: reckoned, 900 ≥ 800
        f"STP-CB1,{YEAR},{HELD_TEXT},25,16,khong,,0,Chưa đủ hai phần ba\n"
    )
    out, err, failure = _command(tmp_path, "staff_conference", text)
    assert failure is None, err
    assert out.strip() == "Đã nhập 3 dòng vào Hội nghị cán bộ, công chức, viên chức."
    stp = Conference.objects.get(unit=tree.stp)
    assert (stp.valid, stp.resolution_adopted, stp.votes_for, stp.notes) == (
        True,
        True,
        11,
        "Hội nghị thường niên",
    )
    syt = Conference.objects.get(unit=tree.syt)
    assert (syt.staff_count, syt.valid, syt.resolution_adopted) == (1200, True, True)
    cell = Conference.objects.get(unit=tree.stp_cb1)
    assert (cell.valid, cell.resolution_adopted, cell.votes_for) == (False, False, None)
    events = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT, model="workplace.conference")
    assert events.count() == 3
    assert events.get(unit_id=tree.stp.pk).object_repr == (
        "Đã nhập 1 hội nghị cán bộ, công chức, viên chức của STP"
    )


def test_a_good_disclosure_file_is_saved_through_the_command(tree, tmp_path):
    text = DISCLOSURE_HEADER + (
        f'STP,"ke hoach cong tac hang nam, hang quy, hang thang",Kế hoạch năm,{HELD_TEXT},'
        "NIÊM YẾT TẠI TRỤ SỞ,năm 2026\n"
        f"STP,budget,Dự toán,{HELD.isoformat()},intranet,\n"
    )
    out, err, failure = _command(tmp_path, "disclosure", text)
    assert failure is None, err
    assert "Đã nhập 2 dòng" in out
    plan = Disclosure.objects.get(category=Category.PLANS)
    assert (plan.form, plan.period, plan.disclosed_on) == (Form.NOTICE_BOARD, "năm 2026", HELD)
    assert Disclosure.objects.get(category=Category.BUDGET).form == Form.INTRANET
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT, model="workplace.disclosure").count() == 1
    )


def test_one_bad_row_in_the_command_saves_nothing_and_names_its_line(tree, tmp_path):
    text = CONFERENCE_HEADER + (
        f"STP,{YEAR},{HELD_TEXT},30,20,có,11,có,\n"  # good
        f"SYT,{YEAR},{HELD_TEXT},30,31,,,,\n"  # more attendees than staff
    )
    out, err, failure = _command(tmp_path, "staff_conference", text)
    assert out is None and failure == "Tệp bị từ chối (1 lỗi); không có gì được lưu."
    assert "Dòng 3: " in err and "(31)" in err and "Dòng 2" not in err
    assert not Conference.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_an_xlsx_file_through_the_import_page(tree, personas, login):
    client = login(personas["mobilisation_officer"])
    upload = _xlsx(
        ("unit_code", "category", "title", "disclosed_on", "form", "period_covered"),
        (
            "STP",
            "nội quy, QUY CHẾ của cơ quan, đơn vị",
            "Quy chế chi tiêu nội bộ",
            HELD,
            "Hệ thống thông tin nội bộ",  # the first words of one label
            None,
        ),
        ("stp-cb1", "rewards", "Khen thưởng năm", HELD_TEXT, "document", "năm 2025"),
    )
    response = client.post(reverse("activities:import"), {"kind": "disclosure", "file": upload})
    assert response.status_code == 200
    assert "Đã nhập 2 dòng vào Công khai cho cán bộ, công chức, viên chức." in response.content.decode()
    assert set(Disclosure.objects.values_list("unit__code", "category")) == {
        ("STP", Category.RULES),
        ("STP-CB1", Category.REWARDS),
    }


def test_the_sample_file_of_each_register_holds_its_columns_and_examples(personas, login):
    client = login(personas["mobilisation_officer"])
    for kind in ("staff_conference", "disclosure"):
        response = client.get(reverse("activities:import_sample", args=[kind]))
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        item = REGISTERS[kind]
        assert [cell.value for cell in sheet[1]] == [*item.columns, *item.optional]
        assert sheet.max_row == 1 + len(item.example)


def test_a_conference_xlsx_with_a_bad_row_on_the_page_saves_nothing(tree, personas, login):
    client = login(personas["mobilisation_officer"])
    upload = _xlsx(
        ("unit_code", "year", "held_on", "staff_count", "attendees"),
        ("STP", YEAR, HELD, 30, 25),
        ("SYT", YEAR, HELD, 30, 25),  # outside the officer's scope
    )
    response = client.post(reverse("activities:import"), {"kind": "staff_conference", "file": upload})
    assert response.status_code == 400
    assert "Dòng 3: Đơn vị SYT không tồn tại hoặc nằm ngoài phạm vi của bạn." in response.content.decode()
    assert not Conference.objects.exists()


def test_a_valid_conference_needs_the_quorum_and_a_resolution_a_majority(tree, personas):
    errors = _refusal(
        "staff_conference", _conferences(("STP", YEAR, HELD_TEXT, 30, 19, "có")), personas["admin"]
    )
    assert errors == {
        2: [
            "Hội nghị không hợp lệ: chỉ 19/30 người có mặt, trong khi phải có ít nhất hai phần ba (20 người)."
        ]
    }
    columns = ("unit_code", "year", "held_on", "staff_count", "attendees", "resolution_adopted", "votes_for")
    errors = _refusal(
        "staff_conference",
        _rows(
            columns,
            ("SYT", YEAR, HELD_TEXT, 30, 20, "yes", 10),
            ("STP-CB1", YEAR, HELD_TEXT, 30, 15, "1", 12),  # valid not stated: 15 < 20, so not valid
        ),
        personas["admin"],
    )
    assert errors[2] == [
        "Nghị quyết không được thông qua: chỉ 10/20 người dự tán thành, trong khi cần trên một nửa (11 người)."
    ]
    assert errors[3] == ["Chỉ hội nghị hợp lệ mới thông qua nghị quyết."]
    assert not Conference.objects.exists()


def test_one_conference_per_agency_and_year_in_the_file_and_the_register(tree, personas):
    officer = personas["mobilisation_officer"]
    assert _import("staff_conference", _conferences(("STP", YEAR, HELD_TEXT, 30, 25, "")), officer) == 1
    errors = _refusal(
        "staff_conference",
        _conferences(
            ("STP-CB1", YEAR, HELD_TEXT, 10, 9, ""),
            ("stp-cb1", YEAR, HELD_TEXT, 10, 9, ""),  # the same agency and year again
            ("STP", YEAR, HELD_TEXT, 30, 25, ""),  # already in the register
            ("STP-CB2", YEAR - 1, "15/01/" + str(YEAR - 2), 10, 9, ""),  # held before the year reviewed
            ("STP-CB2", TODAY.year + 1, HELD_TEXT, 10, 9, ""),  # a year not yet over
        ),
        officer,
    )
    assert sorted(errors) == [3, 4, 5, 6]
    assert errors[3] == [f"Hội nghị năm {YEAR} của Chi bộ 1 đã có ở dòng 2 của tệp."]
    assert errors[4] == [f"Hội nghị năm {YEAR} của Đảng ủy Sở Tư pháp đã được ghi nhận."]
    assert "trước" in errors[5][0]
    assert errors[6] == [f"Năm tổng kết phải từ 2000 đến {TODAY.year}."]
    assert Conference.objects.count() == 1


def test_cells_that_are_not_numbers_dates_or_yes_no_are_named(tree, personas):
    tomorrow = _tomorrow()
    errors = _refusal(
        "staff_conference",
        _conferences(
            ("STP", "", "31/02/2025", "ba mươi", 20, "chắc"),
            ("STP-CB1", YEAR, tomorrow, 30, "", ""),
        ),
        personas["admin"],
    )
    assert errors[2] == [
        "Năm tổng kết: chưa điền.",
        "Ngày tổ chức “31/02/2025” không phải là ngày (dd/mm/yyyy).",
        "Số người được triệu tập phải là số nguyên từ 0 trở lên.",
        "Hợp lệ: “chắc” không phải là có hoặc không (có/không, x hoặc để trống, 1/0).",
    ]
    assert errors[3] == [f"Ngày tổ chức {tomorrow} là ngày trong tương lai.", "Số người dự: chưa điền."]
    assert not Conference.objects.exists()


def test_an_unknown_category_or_form_lists_the_accepted_labels(tree, personas):
    errors = _refusal(
        "disclosure",
        _disclosures(
            ("STP", "Tài chính", "Công khai tài chính", HELD_TEXT, "niêm yết tại trụ sở"),
            ("STP", "plans", "Kế hoạch", HELD_TEXT, "loa phát thanh"),
            ("STP", "Nội", "Nội quy", HELD_TEXT, "Niêm yết"),  # "Nội quy …" or "Nội dung khác": which?
        ),
        personas["admin"],
    )
    category = errors[2][0]
    assert category.startswith("Nội dung công khai “Tài chính” không thuộc danh sách: ")
    assert "Kế hoạch công tác hằng năm, hằng quý, hằng tháng" in category and "Nội dung khác" in category
    assert "plans" not in category  # the labels, never the codes
    form = errors[3][0]
    assert form.startswith("Hình thức công khai “loa phát thanh” không thuộc danh sách: ")
    assert "Niêm yết tại trụ sở; Thông báo tại hội nghị, cuộc họp" in form
    assert errors[4][0].startswith("Nội dung công khai “Nội” không thuộc danh sách: ") and len(errors[4]) == 1
    assert not Disclosure.objects.exists()


def test_disclosures_out_of_scope_in_the_future_or_without_a_title_are_refused(tree, personas):
    tomorrow = _tomorrow()
    errors = _refusal(
        "disclosure",
        _disclosures(
            ("STP", "plans", "Kế hoạch", HELD_TEXT, "meeting"),  # good
            ("SYT", "plans", "Kế hoạch", HELD_TEXT, "meeting"),  # outside the officer's scope
            ("XYZ", "plans", "Kế hoạch", HELD_TEXT, "meeting"),  # no such unit
            ("STP", "plans", "Kế hoạch", tomorrow, "meeting"),
            ("STP", "", "", HELD_TEXT, "meeting"),
        ),
        personas["mobilisation_officer"],
    )
    assert errors[3] == ["Đơn vị SYT không tồn tại hoặc nằm ngoài phạm vi của bạn."]
    assert errors[4] == ["Đơn vị XYZ không tồn tại hoặc nằm ngoài phạm vi của bạn."]
    assert errors[5] == [f"Ngày công khai {tomorrow} là ngày trong tương lai."]
    assert errors[6][0] == "Chọn nội dung công khai." and len(errors[6]) == 2  # and the missing title
    assert sorted(errors) == [3, 4, 5, 6]
    assert not Disclosure.objects.exists()


def test_whoever_records_nowhere_may_not_import(tree, personas):
    for kind, rows in (
        ("staff_conference", _conferences(("STP", YEAR, HELD_TEXT, 30, 25, ""))),
        ("disclosure", _disclosures(("STP", "plans", "Kế hoạch", HELD_TEXT, "meeting"))),
    ):
        with pytest.raises(PermissionDenied):
            _import(kind, rows, personas["viewer"])
    assert not Conference.objects.exists() and not Disclosure.objects.exists()
