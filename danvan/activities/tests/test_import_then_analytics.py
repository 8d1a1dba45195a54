"""Issue 14, item 10 end to end: existing registers loaded with `danvan import-activities --kind KIND FILE`,
then `danvan analytics` gives the indicators counted from them, for a period prepared before or after."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue_loaded(tree):
    from django.apps import apps

    from danvan.reports import catalogue
    from danvan.reports.models import ReportingCalendar

    ReportingCalendar.objects.get_or_create(id=1)
    catalogue.ensure(apps)  # browser tests elsewhere flush the migration's rows


def _import(tmp_path, kind: str, text: str) -> str:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import-activities", str(path), kind=kind, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _analytics(unit: str, period: str, indicator: str) -> dict:
    out = io.StringIO()
    call_command("analytics", unit=unit, period=period, indicator=indicator, json=True, stdout=out)
    return json.loads(out.getvalue())


def _rolled_up(unit, period_code: str, element: str):
    from danvan.reports.models import ElementRollup

    row = ElementRollup.objects.filter(unit=unit, period__code=period_code, element__code=element).first()
    return row.value if row else None


def test_imported_registers_give_the_report_figures(tmp_path, tree, catalogue_loaded):
    # Mediation, before the half-year is prepared: both spellings of the result, both date formats.
    said = _import(
        tmp_path,
        "mediation",
        "unit_code,received_on,parties,content,mediators,result,concluded_on\n"
        "STP-CB1,15/08/2025,Ông A – Bà B,Tranh chấp lối đi,Nguyễn Thị Hoa;Trần Văn Nam,Thành,20/08/2025\n"
        "STP-CB1,2025-09-01,Hộ C – Hộ D,Tiếng ồn,Nguyễn Thị Hoa;Lê Văn Tư,successful,2025-09-05\n"
        "STP-CB2,03/10/2025,Ông E – Ông F,Ranh giới đất,Phạm Thị Lan;Lê Văn Tư,Không thành,10/10/2025\n"
        "STP,12/11/2025,Bà G – Bà H,Nợ tiền,Phạm Thị Lan;Trần Văn Nam,thành,15/11/2025\n"
        "SYT-CB1,01/12/2025,Anh I – Chị K,Mâu thuẫn gia đình,Võ Thị Mai;Đỗ Văn Sơn,Đang hòa giải,\n",
    )
    assert "5" in said
    rate = _analytics("DUK", "2025S2", "MEDIATION_SUCCESS_RATE")
    assert (rate["numerator"], rate["denominator"]) == (3, 5)
    assert _analytics("STP", "2025S2", "MEDIATION_SUCCESS_RATE")["denominator"] == 4

    # The half-year is prepared now: what is imported next is followed at once.
    _import(
        tmp_path,
        "cell_meeting",
        "unit_code,held_on,topic,attendees\n"
        "STP-CB1,10/10/2025,Dân vận khéo trong cải cách hành chính,18\n"
        "STP-CB1,2025-12-02,Tiếp nhận ý kiến của nhân dân,17\n",
    )
    stp = _analytics("STP", "2025S2", "CELL_MEETING_RATE")
    assert (stp["numerator"], stp["denominator"]) == (1, 2)  # a second meeting of the same cell counts once
    bloc = _analytics("DUK", "2025S2", "CELL_MEETING_RATE")
    assert (bloc["numerator"], bloc["denominator"]) == (1, 3)

    _import(
        tmp_path,
        "training",
        "unit_code,title,held_on,participants\n"
        "STP,Bồi dưỡng nghiệp vụ dân vận,05/11/2025,40\n"
        "SYT,Tập huấn kỹ năng đối thoại,2025-12-12,25\n",
    )
    _import(
        tmp_path,
        "dialogue",
        "unit_code,held_on,leader,participants,issues\n"
        "STP,20/07/2025,Giám đốc Sở,45,Chế độ làm thêm giờ;Phòng làm việc chật\n",
    )
    assert _rolled_up(tree.root, "2025S2", "TRAINING_CLASSES") == 2
    assert _rolled_up(tree.root, "2025S2", "TRAINING_PARTICIPANTS") == 65
    assert _rolled_up(tree.root, "2025S2", "DIALOGUES_HELD") == 1
    assert _rolled_up(tree.root, "2025S2", "MEDIATION_CASES") == 5
    # Another period sees none of it.
    assert _analytics("DUK", "2026S1", "MEDIATION_SUCCESS_RATE")["denominator"] == 0


def test_a_file_with_one_bad_row_saves_nothing_and_says_which_row(tmp_path, tree, catalogue_loaded):
    from danvan.activities.mediation.models import Case

    path = tmp_path / "mediation.csv"
    path.write_text(
        "unit_code,received_on,parties,content,mediators,result,concluded_on\n"
        "STP-CB1,15/08/2025,Ông A – Bà B,Tranh chấp lối đi,Nguyễn Thị Hoa,Thành,20/08/2025\n"
        "STP-CB1,15/08/2099,Hộ C – Hộ D,Tiếng ồn,Nguyễn Thị Hoa,Thành,20/08/2099\n",
        encoding="utf-8",
    )
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import-activities", str(path), kind="mediation", stdout=io.StringIO(), stderr=errors)
    assert "Dòng 3" in errors.getvalue()
    assert not Case.objects.exists()
