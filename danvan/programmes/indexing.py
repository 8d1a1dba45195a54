"""Action programmes and their tasks in the one search (danvan.search), scoped as their pages are.

A programme is found by whoever holds DOCUMENT_VIEW at its unit (`selectors.programmes_for`); a task by
them and by the users holding it at the task's lead unit (`policy.can_on_task`, `selectors.occurrences_for`),
whose page for it is its occurrences' (`views.task_page` leads there). The services put a programme's
and its tasks' entries when they are written (a new lead changes who finds the task) and drop them when
they are deleted.
"""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.core.dates import day_text
from danvan.core.text import shorten
from danvan.search import registry
from danvan.search import services as search

from .models import Programme, Task

PROGRAMME = "programme"
TASK = "task"
TITLE_CHARS = 200  # a task's title: the start of its text, cut at a word


def programme_doc(programme: Programme) -> search.Doc:
    return search.Doc(
        kind=PROGRAMME,
        object_id=programme.pk,
        perm=Perm.DOCUMENT_VIEW,
        unit_path=programme.unit.path,
        title=programme.title,
        context=" · ".join((programme.unit.name, day_text(programme.starts_on))),
        # Its title only: the document's own words are the document's entry (and would go stale here
        # when the document is corrected).
        url=reverse("programmes:detail", args=[programme.pk]),
    )


def task_doc(task: Task) -> search.Doc:
    """`task` as the search sees it (reads its programme, its unit and document, its lead, the task it
    counts its deadline from)."""
    programme = task.programme
    with translation.override(settings.LANGUAGE_CODE):  # stored once, read by everyone: the interface's words
        due = str(task.rule_text())
    lead = task.lead.name if task.lead else task.lead_text
    return search.Doc(
        kind=TASK,
        object_id=task.pk,
        perm=Perm.DOCUMENT_VIEW,
        unit_path=programme.unit.path,
        reach=(task.lead.path,) if task.lead else (),
        title=shorten(task.text, TITLE_CHARS),
        context=" · ".join(part for part in (lead, due) if part),
        text=task.text,  # not the programme's title: every task would be found by its document's number
        url=reverse("programmes:task", args=[task.pk]),
    )


def _tasks():
    return Task.objects.select_related("programme__unit", "programme__document", "lead", "relative_task")


def put_programme(programme: Programme) -> None:
    """Put a programme's entry and its tasks' (inside the transaction that wrote them)."""
    search.put(doc=programme_doc(programme))
    search.put_many(docs=(task_doc(task) for task in _tasks().filter(programme=programme)))


def put_task(task: Task) -> None:
    search.put(doc=task_doc(_tasks().get(pk=task.pk)))


def drop_task(pk: int) -> None:
    search.drop(kind=TASK, object_id=pk)


def drop_programme(pk: int, task_pks: Iterable[int]) -> None:
    """A programme deleted with its tasks: none of them is found any more."""
    search.drop(kind=PROGRAMME, object_id=pk)
    for task_pk in task_pks:
        search.drop(kind=TASK, object_id=task_pk)


def programmes() -> Iterable[search.Doc]:
    for programme in (
        Programme.objects.select_related("unit", "document").order_by("pk").iterator(chunk_size=2000)
    ):
        yield programme_doc(programme)


def tasks() -> Iterable[search.Doc]:
    for task in _tasks().order_by("pk").iterator(chunk_size=2000):
        yield task_doc(task)


def register() -> None:
    registry.register(PROGRAMME, _("Action programme"), Perm.DOCUMENT_VIEW, programmes, order=30)
    registry.register(TASK, _("Task"), Perm.DOCUMENT_VIEW, tasks, order=31)
