"""The programme services check DOCUMENT_MANAGE for `by` themselves: a user of another unit is refused
by the service and nothing is written; the System may."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from danvan.accounts.actors import System
from danvan.programmes import services, specs
from danvan.programmes.models import DueRule, Occurrence, Programme, ProgressUpdate, State, Task

from .helpers import register_document

SYSTEM = System("tests")
D = datetime.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(tree):
    return Programme.objects.create(unit=tree.stp, title="Chương trình thử STP", starts_on=D(2026, 1, 1))


def _annual(text="Báo cáo năm", lead=None):
    return specs.TaskSpec(text=text, lead=lead, rule=DueRule.ANNUAL, day=15, month=12)


def test_programme_create_refuses_a_user_of_another_unit(tree, personas):
    document = register_document(tree.stp)
    with pytest.raises(PermissionDenied):
        services.programme_create(document=document, by=personas["outsider"])
    assert not Programme.objects.exists()
    programme = services.programme_create(document=document, by=SYSTEM)
    assert programme.created_by is None and programme.tasks.exists()


def test_task_save_and_delete_refuse_a_user_of_another_unit(programme, personas):
    with pytest.raises(PermissionDenied):
        services.task_save(programme=programme, spec=_annual(), by=personas["outsider"])
    with pytest.raises(PermissionDenied):
        services.task_save(
            programme=programme, spec=_annual(), by=personas["reporter"]
        )  # sees, does not manage
    assert not Task.objects.exists()
    task = services.task_save(programme=programme, spec=_annual(), by=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.task_delete(task=task, by=personas["outsider"])
    assert Task.objects.filter(pk=task.pk).exists()
    services.task_delete(task=task, by=personas["unit_head"])
    assert not Task.objects.filter(pk=task.pk).exists()


def test_programme_delete_refuses_a_user_of_another_unit(programme, personas):
    with pytest.raises(PermissionDenied):
        services.programme_delete(programme=programme, by=personas["outsider"])
    assert Programme.objects.filter(pk=programme.pk).exists()
    services.programme_delete(programme=programme, by=SYSTEM)
    assert not Programme.objects.filter(pk=programme.pk).exists()


def test_occurrences_are_generated_and_extended_only_by_who_manages(programme, personas):
    task = services.task_save(programme=programme, spec=_annual(), by=SYSTEM)
    Occurrence.objects.filter(task=task).delete()
    with pytest.raises(PermissionDenied):
        services.occurrences_generate(task=task, by=personas["outsider"])
    with pytest.raises(PermissionDenied):
        services.occurrences_extend(by=personas["unit_head"])  # every programme: a right at a root
    assert not Occurrence.objects.filter(task=task).exists()
    assert services.occurrences_generate(task=task, by=SYSTEM) > 0
    Occurrence.objects.filter(task=task).delete()
    assert services.occurrences_extend(by=SYSTEM) > 0


def test_progress_is_reported_by_the_lead_unit_or_the_programme_unit_only(tree, programme, personas):
    task = services.task_save(programme=programme, spec=_annual(lead=tree.stp_cb1), by=SYSTEM)
    occurrence = task.occurrences.first()
    with pytest.raises(PermissionDenied):
        services.progress_report(
            occurrence=occurrence, state=State.DONE, text="Xong", by=personas["outsider"]
        )
    assert not ProgressUpdate.objects.exists()
    occurrence.refresh_from_db()
    assert occurrence.state == State.NOT_STARTED
    update = services.progress_report(occurrence=occurrence, state=State.DONE, text="Xong", by=SYSTEM)
    assert update.by is None
