"""The import of existing board registers (`--kind inspection_board`): one row a term with its members,
checked by the rules of board creation, all saved or none, per-line messages in Vietnamese."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from danvan.activities.boards import services
from danvan.activities.boards.models import Board, Member, Office, Role
from danvan.activities.registers import REGISTERS, Row
from danvan.audit.models import AuditEvent

from .helpers import SYSTEM, make_board

pytestmark = pytest.mark.django_db

THREE = "Nguyễn Văn An | Chuyên viên | Trưởng ban; Trần Thị Bình | Chuyên viên | Phó Trưởng ban; Lê Văn Cường | Văn thư | Thành viên"
HEADER = "unit_code,term_start,staff_count,members,term_end,decision,notes\n"


def _members(count, role="Thành viên"):
    return "; ".join(f"Người {index} | Chuyên viên | {role}" for index in range(count))


def row(line, **cells):
    values = {"unit_code": "STP", "term_start": "01/03/2025", "staff_count": "45", "members": THREE}
    values.update(cells)
    return Row(line, values)


def _import(rows, by=SYSTEM):
    return REGISTERS["inspection_board"].import_rows(rows=rows, by=by)


def _refused(rows, by=SYSTEM) -> dict:
    before = Board.objects.count(), Member.objects.count()
    with pytest.raises(ValidationError) as error:
        _import(rows, by)
    assert (Board.objects.count(), Member.objects.count()) == before  # nothing saved
    return error.value.message_dict


def _csv(tmp_path, text):
    path = tmp_path / "ban-ttnd.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _command(path):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import-activities", path, kind="inspection_board", stdout=out, stderr=err)
    except CommandError as error:
        return None, err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def test_the_register_is_importable_and_its_example_follows_its_own_rules(tree):
    item = REGISTERS["inspection_board"]
    assert item.importable
    assert item.columns == ("unit_code", "term_start", "staff_count", "members")
    assert item.optional == ("term_end", "decision", "notes")
    names = (*item.columns, *item.optional)
    rows = [Row(line, dict(zip(names, cells, strict=False))) for line, cells in enumerate(item.example, 2)]
    assert _import(rows) == 2  # the sample file a user downloads imports as it is


def test_a_good_file_is_saved_with_its_members_and_audited(tree, tmp_path):
    text = (
        HEADER
        + f'STP,01/03/2025,45,"{THREE}",,12/QĐ-CĐ,Bầu tại hội nghị\n'
        + 'syt,2023-06-01,1.200,"Phạm Thu Hà | Kế toán viên | TRUONG BAN; Hoàng Minh Đức | Bác sĩ | uỷ viên; '
        + 'Vũ Thị Lan | | thanh vien | không; Đỗ Nam | Chuyên viên | phó trưởng ban",31/05/2025,,\n'
    )
    out, _err, failure = _command(_csv(tmp_path, text))
    assert failure is None, _err
    assert "Đã nhập 2 dòng" in out
    stp = Board.objects.get(unit=tree.stp)
    assert (stp.starts_on, stp.ends_on) == (
        datetime.date(2025, 3, 1),
        datetime.date(2027, 2, 28),
    )  # two years
    assert (stp.staff_count, stp.decision_number, stp.decision_text) == (45, "12/QĐ-CĐ", "Bầu tại hội nghị")
    assert [(m.full_name, m.position, m.role) for m in stp.members.order_by("id")] == [
        ("Nguyễn Văn An", "Chuyên viên", Role.CHAIR),
        ("Trần Thị Bình", "Chuyên viên", Role.DEPUTY),
        ("Lê Văn Cường", "Văn thư", Role.MEMBER),
    ]
    syt = Board.objects.get(unit=tree.syt)
    assert syt.staff_count == 1200 and syt.ends_on == datetime.date(2025, 5, 31)
    assert sorted(syt.members.values_list("role", flat=True)) == ["chair", "deputy", "member", "member"]
    assert set(syt.members.values_list("office", flat=True)) == {Office.NONE}
    events = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT, model="boards.board")
    assert {event.unit_id for event in events} == {tree.stp.pk, tree.syt.pk}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, model="boards.member").count() == 7


def test_one_bad_row_saves_nothing_and_the_command_names_its_line(tree, tmp_path):
    text = HEADER + f'STP,01/03/2025,45,"{THREE}",,,\nSYT,01/03/2025,5,"{THREE}",,,\n'
    out, err, failure = _command(_csv(tmp_path, text))
    assert out is None and "không có gì được lưu" in failure
    assert "Dòng 3: Cơ quan, đơn vị có 5 cán bộ" in err
    assert not Board.objects.exists() and not Member.objects.exists()


@pytest.mark.parametrize(
    "cells, words",
    [
        ({"members": _members(2)}, "từ 3 đến 9 thành viên"),
        ({"members": _members(10)}, "đã nhập 10 thành viên"),
        ({"members": _members(3, role="Trưởng ban")}, "chỉ có một Trưởng ban"),
        ({"staff_count": "7"}, "có 7 cán bộ"),
        ({"staff_count": "bảy"}, "Hãy nhập số cán bộ"),
        ({"term_end": "01/03/2027"}, "kết thúc chậm nhất ngày 28/02/2027"),
        ({"term_end": "01/02/2025"}, "phải sau ngày bắt đầu"),
        (
            {"members": THREE + "; Hà Văn Hải | Giám đốc Sở | Thành viên | Thủ trưởng"},
            "Thành viên thứ 4: Hà Văn Hải là",
        ),
        ({"members": THREE + "; Mai Kế | Kế toán | Thành viên | ke toan truong"}, "kế toán trưởng"),
        ({"members": THREE + "; Phó Gđ | | Thành viên | Cấp phó"}, "cấp phó của người đứng đầu"),
        ({"members": THREE + "; Hà | Chuyên viên | Cố vấn"}, "Vai trò “Cố vấn” của Hà không thuộc"),
        ({"members": THREE + "; Hà | Chuyên viên | Thành viên | Giám đốc"}, "Chức danh “Giám đốc” của Hà"),
        ({"members": THREE + "; Hà Văn Hải"}, "không được ghi theo dạng"),
        ({"unit_code": "STP-CB1"}, "không phải là cơ quan"),
    ],
)
def test_each_rule_of_a_board_refuses_the_line(tree, cells, words):
    errors = _refused([row(2), row(3, **{"unit_code": "SYT", **cells})])
    assert list(errors) == [3]
    assert any(words in message for message in errors[3]), errors[3]


def test_terms_may_not_overlap_a_recorded_board_nor_one_of_the_file(tree):
    make_board(tree.stp, starts_on=datetime.date(2023, 6, 1))
    errors = _refused([row(2, unit_code="SYT"), row(3, term_start="01/01/2025")])
    assert list(errors) == [3] and "chồng lấn nhiệm kỳ của Ban từ 01/06/2023" in errors[3][0]
    Board.objects.all().delete()
    errors = _refused([row(2), row(3, unit_code="SYT"), row(4, term_start="01/01/2026")])
    assert list(errors) == [4]
    assert errors[4] == [
        "Nhiệm kỳ này chồng lấn nhiệm kỳ ở dòng 2 (01/03/2025 – 28/02/2027) của cùng cơ quan, đơn vị: "
        "các nhiệm kỳ của một cơ quan, đơn vị phải nối tiếp nhau."
    ]
    assert _import([row(2), row(3, term_start="01/03/2023")]) == 2  # terms that follow one another


def test_a_unit_outside_the_scope_and_a_term_starting_in_the_future_are_refused(tree, personas):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    officer = personas["mobilisation_officer"]  # keeps STP
    errors = _refused(
        [row(2), row(3, unit_code="SYT"), row(4, term_start=tomorrow), row(5, unit_code="XYZ")], officer
    )
    assert errors == {
        3: ["Đơn vị SYT không tồn tại hoặc nằm ngoài phạm vi của bạn."],
        4: [f"Ngày bắt đầu nhiệm kỳ {tomorrow} là ngày trong tương lai."],
        5: ["Đơn vị XYZ không tồn tại hoặc nằm ngoài phạm vi của bạn."],
    }
    assert _import([row(2)], officer) == 1


def test_whoever_records_nowhere_may_not_import(tree, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _import([row(2)], personas["viewer"])
    assert not Board.objects.exists()


def test_board_create_keeps_its_rules_after_the_import_shares_them(tree):
    with pytest.raises(ValidationError) as error:
        services.board_create(
            unit=tree.stp,
            starts_on=datetime.date(2025, 3, 1),
            ends_on=datetime.date(2027, 2, 28),
            staff_count=45,
            members=[services.MemberSpec(full_name="A", office=Office.HEAD)],
            by=SYSTEM,
        )
    assert {"members", "members.0.office"} <= set(error.value.message_dict)
