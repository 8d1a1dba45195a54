"""Overdue reminders by e-mail: once a day, each person who manages a lead unit's tasks gets one message.

Recipients of an overdue occurrence are the active users with an e-mail address who hold DOCUMENT_MANAGE
at its lead unit (or, without a lead, at the programme's unit) through a role granted within the
programme unit's subtree: the bloc above is not written to about every cell's task. This module says
who is reminded of what (`REMINDER_KIND`); `danvan.reminders` sends it, each occurrence once a day to
each person, and extends the recurring tasks' occurrences first.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy

from danvan.accounts.actors import System
from danvan.accounts.policy import Perm
from danvan.accounts.selectors import holders
from danvan.core.paths import PATH_SEGMENT, path_ids
from danvan.reminders.kinds import Digests, Kind, Sections

from .models import Occurrence, State
from .schedule import horizon
from .services import occurrences_extend


@dataclass(frozen=True)
class OverdueTask:
    """An occurrence past its deadline and not done: one line of the reminder."""

    occurrence: Occurrence

    @property
    def key(self) -> str:
        return str(self.occurrence.pk)

    @property
    def unit(self):
        return self.occurrence.task.lead or self.occurrence.task.programme.unit


def _managing_units(occurrence: Occurrence) -> list[int]:
    """The units from the programme's unit down to the task's lead: their managers are reminded."""
    top = occurrence.task.programme.unit.path
    target = (occurrence.task.lead or occurrence.task.programme.unit).path
    if not target.startswith(top):
        return []
    return path_ids(target)[len(top) // PATH_SEGMENT - 1 :]


def digests(today: datetime.date) -> Digests:
    """Who is reminded of which overdue occurrence today (before the check of what was already sent)."""
    overdue = list(
        Occurrence.objects.filter(due_on__lt=today)
        .exclude(state=State.DONE)
        .select_related("task__programme__unit", "task__lead")
        .order_by("due_on", "id")
    )
    units = {occurrence.pk: _managing_units(occurrence) for occurrence in overdue}
    managers = holders(
        unit_ids={unit_id for ids in units.values() for unit_id in ids}, perm=Perm.DOCUMENT_MANAGE
    )
    found = Digests()
    for occurrence in overdue:
        for unit_id in units[occurrence.pk]:
            for user in managers.get(unit_id, ()):
                found.add(user, "overdue", OverdueTask(occurrence))
    return found


def _context(sections: Sections, today: datetime.date) -> dict:
    return {"link": settings.SITE_URL.rstrip("/") + reverse("programmes:home")}


def _prepare(today: datetime.date) -> None:
    """Recurring tasks get their occurrences up to the horizon first: on 1 January a new year's appear."""
    occurrences_extend(until=horizon(today), by=System("programme reminders"))


REMINDER_KIND = Kind(
    name="programme",
    label=gettext_lazy("Overdue programme tasks"),
    subject_template="programmes/email_subject.txt",
    body_template="programmes/email_body.txt",
    sections=("overdue",),
    collect=digests,
    context=_context,
    prepare=_prepare,
)
