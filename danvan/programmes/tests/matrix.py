"""Action programmes, their tasks and progress in the permission matrix."""

import datetime

from django.core.files.base import ContentFile

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import Made

DAY = datetime.date(2026, 3, 2)


def _programme(unit):
    from danvan.programmes.models import Programme

    return Programme.objects.create(unit=unit, title=f"MATRIX-PROG-{unit.code}", starts_on=DAY)


def _task(unit):
    from danvan.programmes.models import Task

    return Task.objects.create(programme=_programme(unit), text=f"MATRIX-TASK-{unit.code}", lead=unit)


def _occurrence(unit):
    from danvan.programmes.models import Occurrence

    return Occurrence.objects.create(task=_task(unit), due_on=DAY)


def programme(world, unit):
    made = _programme(unit)
    return Made({"pk": made.pk}, marker=made.title)


def task(world, unit):
    made = _task(unit)
    return Made({"pk": made.programme_id, "task_pk": made.pk}, marker=made.text)


def task_alone(world, unit):
    made = _task(unit)
    return Made({"pk": made.pk}, marker=made.text)


def occurrence(world, unit):
    made = _occurrence(unit)
    return Made({"pk": made.pk}, marker=made.task.text)


def evidence(world, unit):
    from danvan.programmes.models import ProgressUpdate

    content = b"Minh chung\n"
    made = ProgressUpdate(
        occurrence=_occurrence(unit),
        state="in_progress",
        text="Đang thực hiện",
        reported_on=DAY,
        file_name="minh-chung.txt",
        file_type="text/plain",
        file_size=len(content),
    )
    made.file.save("minh-chung.txt", ContentFile(content), save=False)
    made.save()
    return {"pk": made.pk}


def register(matrix):
    view, manage = Perm.DOCUMENT_VIEW, Perm.DOCUMENT_MANAGE
    matrix.listing("programmes:home", perm=view, make=programme)
    matrix.write_only("programmes:create", perm=manage, note="POST: create a programme")
    matrix.read("programmes:detail", perm=view, make=programme)
    matrix.read("programmes:delete", perm=manage, make=programme)
    matrix.read("programmes:timeline", perm=view, make=programme)
    matrix.read("programmes:task_add", perm=manage, make=programme)
    matrix.read("programmes:task_edit", perm=manage, make=task)
    matrix.read("programmes:task_delete", perm=manage, make=task)
    # a task's own address (the search's link) sends to its current occurrence, or its programme
    matrix.read("programmes:task", perm=view, make=task_alone, ok=frozenset({302}))
    matrix.read("programmes:occurrence", perm=view, make=occurrence)
    matrix.read("programmes:evidence", perm=view, make=evidence)

    matrix.listing("programme-list", perm=view, make=programme)
    matrix.read("programme-detail", perm=view, make=programme)
    matrix.write_only("programme-tasks", perm=manage, make=programme, note="POST: add a task")
    matrix.read("task-detail", perm=view, make=task_alone)
    matrix.listing("occurrence-list", perm=view, make=occurrence)
    matrix.read("occurrence-detail", perm=view, make=occurrence)
    matrix.write_only("occurrence-progress", perm=manage, make=occurrence, note="POST: report progress")
