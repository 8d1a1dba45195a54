"""Recording thematic cell meetings and importing them: what is refused, and that nothing is half-saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from danvan.activities import registers
from danvan.activities.cells import services
from danvan.activities.cells.models import Meeting
from danvan.activities.registers import Row
from danvan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 12)


def _spec(unit, **extra):
    values = {"unit": unit, "held_on": DAY, "topic": "Quán triệt Quy chế dân chủ ở cơ sở", "attendees": 12}
    values.update(extra)
    return services.MeetingSpec(**values)


def test_an_officer_records_a_meeting_of_a_cell_of_their_unit_and_it_is_audited(tree, personas):
    meeting = services.meeting_create(
        spec=_spec(tree.stp_cb1, expected=15, notes="  Ghi chú "), by=personas["mobilisation_officer"]
    )

    assert (meeting.unit, meeting.held_on, meeting.attendees, meeting.expected, meeting.notes) == (
        tree.stp_cb1,
        DAY,
        12,
        15,
        "Ghi chú",
    )
    assert AuditEvent.objects.filter(
        model="cells.meeting", object_id=str(meeting.pk), action="create"
    ).exists()


def test_a_unit_that_is_not_a_cell_is_refused_in_vietnamese(tree, personas):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(spec=_spec(tree.stp), by=personas["mobilisation_officer"])

    assert "không phải là chi bộ" in error.value.message_dict["unit"][0]
    assert not Meeting.objects.exists()


def test_a_date_in_the_future_is_refused(tree, personas):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            spec=_spec(tree.stp_cb1, held_on=tomorrow), by=personas["mobilisation_officer"]
        )

    assert error.value.message_dict["held_on"] == ["Ngày không được sau ngày hôm nay (ở tương lai)."]
    assert not Meeting.objects.exists()


def test_negative_attendees_and_an_empty_topic_are_refused(tree, personas):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            spec=_spec(tree.stp_cb1, attendees=-1, topic="  "), by=personas["mobilisation_officer"]
        )

    assert set(error.value.message_dict) == {"attendees", "topic"}


def test_a_cell_outside_the_scope_and_a_viewer_are_refused(tree, personas):
    with pytest.raises(PermissionDenied):
        services.meeting_create(spec=_spec(tree.stp_cb1), by=personas["outsider"])
    with pytest.raises(PermissionDenied):
        services.meeting_create(spec=_spec(tree.stp_cb1), by=personas["viewer"])
    assert not Meeting.objects.exists()


def test_a_meeting_is_changed_and_deleted_only_by_who_records_at_its_cell(tree, personas):
    meeting = services.meeting_create(spec=_spec(tree.stp_cb1), by=personas["mobilisation_officer"])
    with pytest.raises(PermissionDenied):
        services.meeting_update(
            meeting=meeting, spec=_spec(tree.stp_cb1, attendees=3), by=personas["outsider"]
        )
    with pytest.raises(PermissionDenied):  # nor moved to a cell out of reach
        services.meeting_update(
            meeting=meeting, spec=_spec(tree.syt_cb1), by=personas["mobilisation_officer"]
        )

    services.meeting_update(
        meeting=meeting, spec=_spec(tree.stp_cb2, attendees=3), by=personas["mobilisation_officer"]
    )
    meeting.refresh_from_db()
    assert (meeting.unit, meeting.attendees) == (tree.stp_cb2, 3)
    with pytest.raises(PermissionDenied):
        services.meeting_delete(meeting=meeting, by=personas["viewer"])
    services.meeting_delete(meeting=meeting, by=personas["mobilisation_officer"])
    assert not Meeting.objects.exists()


# ---------------------------------------------------------------- import (kind cell_meeting)


def _rows(*rows):
    return [
        Row(line, dict(zip(("unit_code", "held_on", "topic", "attendees"), cells, strict=True)))
        for line, *cells in rows
    ]


def test_the_register_is_known_to_the_activities_package():
    item = registers.REGISTERS["cell_meeting"]
    assert item.importable and item.columns == ("unit_code", "held_on", "topic", "attendees")
    assert item.import_rows is services.import_rows


def test_an_import_saves_every_row(tree, personas):
    rows = _rows(
        (2, "STP-CB1", "2026-03-12", "Dân vận khéo", 12),
        (3, "stp-cb2", "05/04/2026", "Quy chế dân chủ", "9"),
        (4, "STP-CB2", datetime.date(2026, 5, 6), "Tiếp công dân", 10.0),
    )

    assert services.import_rows(rows=rows, by=personas["mobilisation_officer"]) == 3

    assert sorted(Meeting.objects.values_list("unit__code", "held_on", "attendees")) == [
        ("STP-CB1", datetime.date(2026, 3, 12), 12),
        ("STP-CB2", datetime.date(2026, 4, 5), 9),
        ("STP-CB2", datetime.date(2026, 5, 6), 10),
    ]


def test_one_bad_row_saves_nothing_and_every_error_is_given_by_line(tree, personas):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    rows = _rows(
        (2, "STP-CB1", "2026-03-12", "Dân vận khéo", 12),
        (3, "STP", "2026-03-12", "Chuyên đề", 5),  # a grassroots organisation, not a cell
        (4, "SYT-CB1", "2026-03-12", "Chuyên đề", 5),  # out of the officer's scope
        (5, "STP-CB2", tomorrow, "Chuyên đề", 5),
        (6, "STP-CB2", "2026-03-12", "", "mười"),
        (7, "STP-CB2", "31/02/2026", "Chuyên đề", -2),
    )

    with pytest.raises(ValidationError) as error:
        services.import_rows(rows=rows, by=personas["mobilisation_officer"])

    errors = error.value.message_dict
    assert sorted(errors) == [3, 4, 5, 6, 7]
    assert "không phải là chi bộ" in errors[3][0]
    assert errors[4] == ["Đơn vị SYT-CB1 không tồn tại hoặc nằm ngoài phạm vi của bạn."]
    assert "tương lai" in errors[5][0]
    assert len(errors[6]) == 2 and len(errors[7]) == 2
    assert not Meeting.objects.exists()


def test_an_import_needs_the_right_to_record_somewhere(tree, personas):
    with pytest.raises(PermissionDenied):
        services.import_rows(rows=_rows((2, "STP-CB1", "2026-03-12", "A", 1)), by=personas["viewer"])
