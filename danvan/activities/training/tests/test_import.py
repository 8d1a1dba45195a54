"""The import of an existing register (`--kind training`): every row checked, per-line messages in
Vietnamese, all saved or none, the report figures refreshed once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from danvan.activities.registers import REGISTERS, Row
from danvan.activities.training.models import TrainingClass
from danvan.reports.models import DataValue

pytestmark = pytest.mark.django_db


def _rows(*cells_list):
    columns = ("unit_code", "title", "held_on", "participants")
    return [
        Row(line, dict(zip(columns, cells, strict=False))) for line, cells in enumerate(cells_list, start=2)
    ]


def _import(rows, by):
    return REGISTERS["training"].import_rows(rows=rows, by=by)


def test_the_register_is_importable_with_its_columns():
    item = REGISTERS["training"]
    assert item.importable and item.columns == ("unit_code", "title", "held_on", "participants")
    assert item.url_name == "training:list"


def test_good_rows_are_saved_and_the_figures_follow(tree, personas, reports):
    period = reports.period("2025S2")
    rows = _rows(
        ("STP", "Tập huấn dân vận", "15/09/2025", 85),
        ("stp-cb1", "Bồi dưỡng nghiệp vụ", "2025-10-20", "40"),
        ("STP", "Tập huấn hòa giải", datetime.date(2025, 11, 3), 1.0e3),
        ("STP-CB2", "Lớp lớn", "01/12/2025", "1.234"),
    )
    assert _import(rows, personas["mobilisation_officer"]) == 4
    stp = DataValue.objects.get(unit=tree.stp, period=period, element__code="TRAINING_PARTICIPANTS")
    assert stp.value == 1085
    assert TrainingClass.objects.get(unit=tree.stp_cb2).participants == 1234


def test_one_bad_row_saves_nothing_and_every_bad_line_is_named(tree, personas):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    rows = _rows(
        ("STP", "Tập huấn dân vận", "15/09/2025", 85),  # line 2: good
        ("SYT", "Lớp của đơn vị khác", "15/09/2025", 10),  # 3: outside the officer's scope
        ("STP", "Lớp tương lai", tomorrow, 10),  # 4: in the future
        ("STP", "Lớp", "31/02/2025", "mười"),  # 5: not a date, not a number
        ("XYZ", "", "15/09/2025", -3),  # 6: unknown unit, no title, negative
        ("STP", "Lớp", "15/09/2025", ""),  # 7: no count
    )
    with pytest.raises(ValidationError) as error:
        _import(rows, personas["mobilisation_officer"])
    errors = error.value.message_dict
    assert sorted(errors) == [3, 4, 5, 6, 7]
    assert errors[3] == ["Đơn vị SYT không tồn tại hoặc nằm ngoài phạm vi của bạn."]
    assert "trong tương lai" in errors[4][0]
    assert len(errors[5]) == 2 and "không phải là ngày" in errors[5][0]
    assert len(errors[6]) == 3
    assert "số lượt người" in errors[7][0].lower()
    assert not TrainingClass.objects.exists()


def test_whoever_records_nowhere_may_not_import(tree, personas):
    with pytest.raises(PermissionDenied):
        _import(_rows(("STP", "Lớp", "15/09/2025", 5)), personas["viewer"])
    assert not TrainingClass.objects.exists()


def test_the_overview_counts_the_year_in_scope(tree, personas, spec):
    from danvan.activities.training import services

    services.class_save(spec=spec(tree.stp, participants=1673), by=personas["admin"])
    services.class_save(spec=spec(tree.syt, participants=7), by=personas["admin"])
    services.class_save(
        spec=spec(tree.stp, held_on=datetime.date(2024, 5, 1), participants=9), by=personas["admin"]
    )
    figures = REGISTERS["training"].overview(personas["viewer"], 2025)
    assert [figure.value for figure in figures] == ["1", "1.673"]
    assert figures[0].url.endswith("?year=2025")
    assert [figure.value for figure in REGISTERS["training"].overview(personas["admin"], 2025)] == [
        "2",
        "1.680",
    ]
