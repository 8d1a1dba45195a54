"""Recording, changing and deleting a class: what the services accept and refuse (in Vietnamese)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from danvan.activities.training import services
from danvan.activities.training.models import Participant, TrainingClass
from danvan.activities.training.specs import AttendeeSpec
from danvan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PEOPLE = [AttendeeSpec("Nguyễn Văn An", "Chuyên viên", "Văn phòng"), AttendeeSpec("Trần Thị Bình")]


def test_an_officer_records_a_class_with_its_list(tree, personas, spec):
    saved = services.class_save(
        spec=spec(tree.stp_cb1, attendees=PEOPLE), by=personas["mobilisation_officer"]
    )
    assert saved.unit == tree.stp_cb1 and saved.participants == 40
    assert [(p.order, p.name, p.position) for p in saved.attendees.all()] == [
        (1, "Nguyễn Văn An", "Chuyên viên"),
        (2, "Trần Thị Bình", ""),
    ]
    assert AuditEvent.objects.filter(model="training.trainingclass", action="create").count() == 1


def test_a_date_in_the_future_is_refused(tree, personas, spec):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.class_save(spec=spec(tree.stp, held_on=tomorrow), by=personas["mobilisation_officer"])
    assert "trong tương lai" in error.value.message_dict["held_on"][0]
    assert not TrainingClass.objects.exists()


def test_the_last_day_cannot_come_before_the_first(tree, personas, spec):
    with pytest.raises(ValidationError) as error:
        services.class_save(
            spec=spec(tree.stp, ended_on=datetime.date(2025, 9, 14)), by=personas["mobilisation_officer"]
        )
    assert "trước ngày khai giảng" in error.value.message_dict["ended_on"][0]


def test_a_list_longer_than_the_count_is_refused_and_nothing_saved(tree, personas, spec):
    with pytest.raises(ValidationError) as error:
        services.class_save(
            spec=spec(tree.stp, participants=1, attendees=PEOPLE), by=personas["mobilisation_officer"]
        )
    message = error.value.message_dict["participants"][0]
    assert "2" in message and "ít nhất" in message
    assert not TrainingClass.objects.exists() and not Participant.objects.exists()


@pytest.mark.parametrize("count", [-1, 2.5, "mười", None, True])
def test_the_count_must_be_a_whole_number(tree, personas, spec, count):
    with pytest.raises(ValidationError) as error:
        services.class_save(spec=spec(tree.stp, participants=count), by=personas["mobilisation_officer"])
    assert "participants" in error.value.message_dict


def test_a_title_is_required(tree, personas, spec):
    with pytest.raises(ValidationError) as error:
        services.class_save(spec=spec(tree.stp, title="  "), by=personas["mobilisation_officer"])
    assert error.value.message_dict["title"]


def test_a_unit_outside_the_scope_is_refused(tree, personas, spec):
    with pytest.raises(PermissionDenied):
        services.class_save(spec=spec(tree.syt), by=personas["mobilisation_officer"])
    with pytest.raises(PermissionDenied):
        services.class_save(spec=spec(tree.stp), by=personas["viewer"])  # may see, not record
    assert not TrainingClass.objects.exists()


def test_moving_a_class_needs_the_right_at_both_units(tree, personas, spec):
    saved = services.class_save(spec=spec(tree.stp), by=personas["admin"])
    with pytest.raises(PermissionDenied):
        services.class_save(spec=spec(tree.syt), training_class=saved, by=personas["mobilisation_officer"])
    other = services.class_save(spec=spec(tree.syt), by=personas["admin"])
    with pytest.raises(PermissionDenied):  # a class of SYT cannot be brought into STP by STP's officer
        services.class_save(spec=spec(tree.stp), training_class=other, by=personas["mobilisation_officer"])


def test_a_change_keeps_the_list_unless_a_new_one_is_given(tree, personas, spec):
    officer = personas["mobilisation_officer"]
    saved = services.class_save(spec=spec(tree.stp, attendees=PEOPLE), by=officer)
    services.class_save(
        spec=spec(tree.stp, participants=5, title="Lớp mới"), training_class=saved, by=officer
    )
    saved.refresh_from_db()
    assert saved.title == "Lớp mới" and saved.attendees.count() == 2
    with pytest.raises(ValidationError):  # the kept list is longer than the new count
        services.class_save(spec=spec(tree.stp, participants=1), training_class=saved, by=officer)
    services.class_save(spec=spec(tree.stp, participants=1, attendees=[]), training_class=saved, by=officer)
    assert saved.attendees.count() == 0


def test_delete(tree, personas, spec):
    saved = services.class_save(spec=spec(tree.stp, attendees=PEOPLE), by=personas["admin"])
    with pytest.raises(PermissionDenied):
        services.class_delete(training_class=saved, by=personas["viewer"])
    services.class_delete(training_class=saved, by=personas["mobilisation_officer"])
    assert not TrainingClass.objects.exists() and not Participant.objects.exists()
