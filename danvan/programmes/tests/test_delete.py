"""Deleting tasks and programmes: who may, the confirmation when progress was reported, the audit trail."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.accounts.actors import System
from danvan.audit.models import AuditEvent
from danvan.programmes import services, specs
from danvan.programmes.models import DueRule, Occurrence, Programme, ProgressUpdate, RelativeBase, State, Task

SYSTEM = System("tests")

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def programme(tree):
    programme = Programme.objects.create(unit=tree.stp, title="Chương trình thử STP", starts_on=D(2026, 1, 1))
    for text in ("Nhiệm vụ đúng", "Nhiệm vụ đọc sai từ văn bản"):
        services.task_save(
            programme=programme,
            spec=specs.TaskSpec(text=text, lead=tree.stp_cb1, rule=DueRule.ANNUAL, day=15, month=12),
            by=SYSTEM,
        )
    return programme


def _report(task, text="Đã triển khai", file=None):
    occurrence = task.occurrences.first()
    return services.progress_report(
        occurrence=occurrence, state=State.IN_PROGRESS, text=text, file=file, on=D(2026, 3, 1), by=SYSTEM
    )


def _deleted(model, pk):
    return AuditEvent.objects.filter(action="delete", model=model, object_id=str(pk))


def test_a_task_without_progress_is_deleted_with_its_occurrences_and_audited(programme):
    wrong = programme.tasks.get(text="Nhiệm vụ đọc sai từ văn bản")
    assert wrong.occurrences.count() > 1
    services.task_delete(task=wrong, by=SYSTEM)
    assert not Task.objects.filter(pk=wrong.pk).exists()
    assert not Occurrence.objects.filter(task_id=wrong.pk).exists()
    assert list(programme.tasks.values_list("text", flat=True)) == ["Nhiệm vụ đúng"]
    event = _deleted("programmes.task", wrong.pk).get()
    assert event.unit_code == "STP" and event.changes["text"] == ["Nhiệm vụ đọc sai từ văn bản", None]


def test_a_task_with_progress_needs_the_confirmation(programme, django_capture_on_commit_callbacks):
    wrong = programme.tasks.get(text="Nhiệm vụ đọc sai từ văn bản")
    evidence = SimpleUploadedFile("bien-ban.txt", "Biên bản".encode(), "text/plain")
    update = _report(wrong, file=evidence)
    storage, name = update.file.storage, update.file.name
    assert storage.exists(name)
    with pytest.raises(ValidationError) as error:
        services.task_delete(task=wrong, by=SYSTEM)
    assert "đã có báo cáo tiến độ (1 báo cáo)" in " ".join(error.value.messages)
    assert Task.objects.filter(pk=wrong.pk).exists() and ProgressUpdate.objects.filter(pk=update.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.task_delete(task=wrong, confirm_progress=True, by=SYSTEM)
    assert not Task.objects.filter(pk=wrong.pk).exists() and not ProgressUpdate.objects.exists()
    assert not storage.exists(name)  # the evidence file goes after the commit
    # the audit log keeps what was reported
    assert _deleted("programmes.progressupdate", update.pk).get().changes["text"] == ["Đã triển khai", None]


def test_a_task_others_count_from_is_not_deleted(programme):
    base = services.task_save(
        programme=programme,
        spec=specs.TaskSpec(text="Hội nghị", rule=DueRule.FIXED, due_on=D(2026, 3, 10)),
        by=SYSTEM,
    )
    services.task_save(
        programme=programme,
        spec=specs.TaskSpec(
            text="Báo cáo",
            rule=DueRule.RELATIVE,
            relative_base=RelativeBase.TASK,
            relative_task=base,
            relative_days=10,
        ),
        by=SYSTEM,
    )
    with pytest.raises(ValidationError) as error:
        services.task_delete(task=base, confirm_progress=True, by=SYSTEM)
    assert "tính hạn từ nhiệm vụ này" in " ".join(error.value.messages)
    assert Task.objects.filter(pk=base.pk).exists()


def test_a_programme_is_deleted_only_while_nobody_reported(programme, tree):
    first, second = programme.tasks.order_by("order")
    services.task_save(  # a task counted from another: the deletion takes both
        programme=programme,
        spec=specs.TaskSpec(
            text="Sau hội nghị", rule=DueRule.RELATIVE, relative_base=RelativeBase.START, relative_days=20
        ),
        by=SYSTEM,
    )
    update = _report(second)
    with pytest.raises(ValidationError) as error:
        services.programme_delete(programme=programme, by=SYSTEM)
    assert "không thể xóa" in " ".join(error.value.messages)
    assert Programme.objects.filter(pk=programme.pk).exists() and programme.tasks.count() == 3
    update.delete()
    services.programme_delete(programme=programme, by=SYSTEM)
    assert not Programme.objects.exists() and not Task.objects.exists() and not Occurrence.objects.exists()
    assert _deleted("programmes.programme", programme.pk).count() == 1
    assert _deleted("programmes.task", first.pk).count() == 1


def test_programme_with_a_chain_of_relative_tasks_is_deleted(tree):
    programme = Programme.objects.create(unit=tree.stp, title="Chuỗi", starts_on=D(2026, 1, 1))
    base = services.task_save(
        programme=programme,
        spec=specs.TaskSpec(text="Một", rule=DueRule.FIXED, due_on=D(2026, 2, 1)),
        by=SYSTEM,
    )
    services.task_save(
        programme=programme,
        spec=specs.TaskSpec(text="Hai", rule=DueRule.RELATIVE, relative_task=base, relative_days=5),
        by=SYSTEM,
    )
    services.programme_delete(programme=programme, by=SYSTEM)
    assert not Task.objects.exists()


def test_delete_pages_ask_the_policy_and_confirm(programme, personas, login, tree):
    wrong = programme.tasks.get(text="Nhiệm vụ đọc sai từ văn bản")
    url = reverse("programmes:task_delete", args=[programme.pk, wrong.pk])
    # outside the tree: as if it did not exist; a viewer: forbidden
    assert login(personas["outsider"]).get(url).status_code == 404
    assert login(personas["outsider"]).post(url, {"confirm": "on"}).status_code == 404
    assert login(personas["viewer"]).post(url, {"confirm": "on"}).status_code == 403
    assert Task.objects.filter(pk=wrong.pk).exists()
    officer = login(personas["mobilisation_officer"])
    detail = officer.get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    assert url in detail and reverse("programmes:delete", args=[programme.pk]) in detail
    viewer_detail = (
        login(personas["viewer"]).get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    )
    assert url not in viewer_detail and 'data-action="delete-programme"' not in viewer_detail
    _report(wrong)
    page = officer.get(url).content.decode()
    assert 'data-reports="1"' in page and "Nhiệm vụ này đã có báo cáo tiến độ (1 báo cáo)" in page
    refused = officer.post(url, {})
    assert refused.status_code == 400 and "hãy xác nhận" in refused.content.decode()
    assert Task.objects.filter(pk=wrong.pk).exists() and ProgressUpdate.objects.count() == 1
    # with progress reported, the programme offers no deletion and refuses it
    detail = officer.get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    assert 'data-action="delete-programme"' not in detail
    refused = officer.post(reverse("programmes:delete", args=[programme.pk]))
    assert refused.status_code == 400 and "không thể xóa" in refused.content.decode()
    response = officer.post(url, {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "programmes:detail", args=[programme.pk]
    )
    assert not Task.objects.filter(pk=wrong.pk).exists() and not ProgressUpdate.objects.exists()
    event = AuditEvent.objects.get(action="delete", model="programmes.task", object_id=str(wrong.pk))
    assert event.actor_label == personas["mobilisation_officer"].username
    # now nobody has reported: the programme can go
    assert (
        login(personas["viewer"]).post(reverse("programmes:delete", args=[programme.pk])).status_code == 403
    )
    page = officer.get(reverse("programmes:delete", args=[programme.pk])).content.decode()
    assert "Chương trình và 1 nhiệm vụ của nó sẽ bị xóa" in page
    response = officer.post(reverse("programmes:delete", args=[programme.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("programmes:home")
    assert not Programme.objects.exists()
