"""The import of existing registers (kind `mediation`): every row checked, all saved or none."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from danvan.activities.mediation import services
from danvan.activities.mediation.models import Case
from danvan.activities.registers import REGISTERS, Row

from .helpers import SYSTEM

pytestmark = pytest.mark.django_db


def row(line, **cells):
    values = {
        "unit_code": "STP-CB1",
        "received_on": "2025-09-01",
        "parties": "Ông A; bà B",
        "content": "Tranh chấp lối đi",
        "mediators": "Nguyễn Thị Lan; Trần Văn Hùng",
        "result": "Thành",
        "concluded_on": "05/09/2025",
    }
    values.update(cells)
    return Row(line, values)


def test_the_register_is_importable_with_its_columns(tree):
    item = REGISTERS["mediation"]
    assert item.importable
    assert item.columns == (
        "unit_code",
        "received_on",
        "parties",
        "content",
        "mediators",
        "result",
        "concluded_on",
    )


@pytest.mark.parametrize(
    "written, result",
    [
        ("Thành", "successful"),
        ("thành", "successful"),
        ("Không thành", "unsuccessful"),
        ("KHÔNG THÀNH", "unsuccessful"),
        ("Đang hòa giải", "ongoing"),
        ("đang hoà giải", "ongoing"),
        ("successful", "successful"),
        ("Unsuccessful", "unsuccessful"),
        ("ONGOING", "ongoing"),
    ],
)
def test_both_spellings_of_the_result(tree, written, result):
    concluded = "" if result == "ongoing" else "2025-09-05"
    saved = services.import_rows(
        rows=[row(2, result=written, concluded_on=concluded, unit_code="stp-cb1")], by=SYSTEM
    )
    assert saved == 1
    case = Case.objects.get()
    assert case.result == result and case.unit == tree.stp_cb1
    assert case.mediators == "Nguyễn Thị Lan; Trần Văn Hùng"


def test_one_bad_row_saves_nothing_and_every_bad_line_is_named(tree, personas):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    rows = [
        row(2),
        row(3, result="Tạm dừng"),
        row(4, unit_code="SYT"),  # outside the officer's scope
        row(5, received_on=tomorrow, concluded_on=""),
        row(6, concluded_on=""),  # a concluded case needs its date
        row(7, received_on="10/09/2025", concluded_on="2025-09-01"),
        row(8, result="Đang hòa giải", concluded_on="2025-09-05"),
        row(9, mediators=" ; "),
        row(10, received_on="31/02/2025"),
    ]
    with pytest.raises(ValidationError) as error:
        services.import_rows(rows=rows, by=personas["mobilisation_officer"])
    problems = error.value.message_dict
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "Tạm dừng" in problems[3][0]
    assert "SYT" in problems[4][0] and "phạm vi" in problems[4][0]
    assert "tương lai" in " ".join(problems[5])
    assert "Nhập ngày kết thúc hòa giải." in problems[6]
    assert "không thể trước ngày nhận vụ việc (10/09/2025)" in problems[7][0]
    assert "Vụ việc đang hòa giải chưa có ngày kết thúc." in problems[8]
    assert not Case.objects.exists()


def test_an_import_refreshes_the_figures_once(tree, monkeypatch):
    from danvan.activities.mediation import sources

    calls = []
    monkeypatch.setattr(sources, "refresh", lambda units, days, **kw: calls.append((units, days)))
    rows = [
        row(line, unit_code=code) for line, code in enumerate(["STP-CB1", "STP-CB2", "SYT"] * 10, start=2)
    ]
    assert services.import_rows(rows=rows, by=SYSTEM) == 30
    assert len(calls) == 1
    assert calls[0][0] == {tree.stp_cb1.pk, tree.stp_cb2.pk, tree.syt.pk}
