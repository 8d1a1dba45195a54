"""The dialogues' part of the work home (core.worklist): issues raised in a dialogue still awaiting an
answer whose due date has passed or comes within `SOON_DAYS`, at the units where the user records
activities (ACTIVITY_RECORD, the same scope as the register's pages)."""

import datetime

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core import worklist
from danvan.core.worklist import Found, WorkItem

from . import selectors
from .models import Issue

SOON_DAYS = 7
TITLE_WORDS = 30


def _item(issue: Issue) -> WorkItem:
    return WorkItem(
        title=Truncator(issue.content).words(TITLE_WORDS),
        unit=issue.dialogue.unit.name,
        due=issue.due_on,
        url=reverse("dialogues:detail", args=[issue.dialogue_id]),
        kind=_("Issue raised in a dialogue"),
        state=issue.get_state_display(),
    )


def issues_due(user, today: datetime.date, limit: int) -> Found:
    return worklist.found_in(selectors.issues_due(user, today, SOON_DAYS), limit, _item)


def register() -> None:
    worklist.register(
        key="dialogues",
        label=gettext_lazy("Issues raised in dialogues awaiting an answer"),
        order=60,
        collect=issues_due,
        nav="dialogues:home",
        more_url="dialogues:home",
    )
