"""The programmes' part of the work home (core.worklist): tasks due or overdue for my units.

The occurrences of "Action programmes" (`selectors.occurrences_for`, scoped by the policy as that page
is: of programmes of my units, or led by one of them), not done, due within `worklist.SOON_DAYS` or past.
"""

import datetime

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core import worklist
from danvan.core.worklist import Found, WorkItem

from . import selectors
from .models import Occurrence, State

TITLE_WORDS = 30


def _item(occurrence: Occurrence) -> WorkItem:
    task = occurrence.task
    return WorkItem(
        title=Truncator(task.text).words(TITLE_WORDS),
        unit=(task.lead or task.programme.unit).name,
        due=occurrence.due_on,
        url=reverse("programmes:occurrence", args=[occurrence.pk]),
        kind=_("Programme task"),
        state=occurrence.get_state_display(),
    )


def tasks_due(user, today: datetime.date, limit: int) -> Found:
    soon = today + datetime.timedelta(days=worklist.SOON_DAYS)
    occurrences = (
        selectors.occurrences_for(user)
        .exclude(state=State.DONE)
        .filter(due_on__lte=soon)
        .order_by(selectors.BY_DEADLINE, "id")
    )
    return worklist.found_in(occurrences, limit, _item)


def register() -> None:
    worklist.register(
        key="programmes",
        label=gettext_lazy("Programme tasks due"),
        order=50,
        collect=tasks_due,
        nav="programmes:home",
        more_url="programmes:home",
    )
