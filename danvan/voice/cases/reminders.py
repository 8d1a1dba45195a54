"""The daily reminder of cases due soon and overdue (issue 4, item 7): who is reminded of what.

Each handler gets one e-mail listing their cases due soon and overdue (`selectors.due_clocks`); a
case nobody handles yet goes to the users holding the case-handler role at its unit; the heads of
the case's unit (unit head role at that very unit) get its overdue cases. An e-mail carries the
reference, the subject, the step, the due date and a link — never who sent the case. This module
says who is reminded of what (`REMINDER_KIND`, run daily by Celery beat: `danvan.voice.tasks.
send_case_reminders`); `danvan.reminders` sends it: an item already sent to a user that day is not
sent again, so a second run the same day sends nothing new, and each e-mail is in the audit log
(`case.reminder`).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.models import Role
from danvan.accounts.policy import Perm
from danvan.accounts.selectors import holders
from danvan.reminders.kinds import Digests, Kind, Sections

from .models import Clock
from .selectors import OVERDUE, case_path, due_clocks, status_of


@dataclass(frozen=True)
class Item:
    clock: Clock
    status: str  # OVERDUE or SOON
    days: int  # days late (overdue) or days left (soon), calendar days

    @property
    def case(self):
        return self.clock.case

    @property
    def unit(self):
        return self.clock.case.unit

    @property
    def key(self) -> str:
        return f"{self.status}:{self.clock.pk}"

    @property
    def link(self) -> str:
        return settings.SITE_URL.rstrip("/") + case_path(self.case)


def _items(today: datetime.date) -> list[Item]:
    items = []
    for clock in due_clocks(today=today):
        status = status_of(clock, today)
        items.append(Item(clock, status, abs((clock.due_on - today).days)))
    return items


def digests(today: datetime.date) -> Digests:
    """Who is reminded of what today (before the check of what was already sent)."""
    items = _items(today)
    found = Digests()
    handlers = holders(
        unit_ids={item.case.unit_id for item in items if item.case.handler_id is None},
        roles=[Role.CASE_HANDLER],
    )
    heads = holders(
        unit_ids={item.case.unit_id for item in items if item.status == OVERDUE}, roles=[Role.UNIT_HEAD]
    )
    for item in items:
        case = item.case
        handler = case.handler
        if handler is not None:
            # Someone who no longer handles cases of the unit is not written to about them.
            if handler.is_active and handler.email and policy.can(handler, Perm.CASE_HANDLE, case.unit):
                found.add(handler, "mine_overdue" if item.status == OVERDUE else "mine_soon", item)
        else:
            for user in handlers.get(case.unit_id, ()):
                found.add(user, "unassigned", item)
        if item.status == OVERDUE:
            for user in heads.get(case.unit_id, ()):
                if handler is None or user.pk != handler.pk:
                    found.add(user, "heads", item)
    return found


def _context(sections: Sections, today: datetime.date) -> dict:
    return {
        "overdue": any(item.status == OVERDUE for items in sections.values() for item in items),
        "list_link": settings.SITE_URL.rstrip("/") + reverse("voice:overdue"),
    }


REMINDER_KIND = Kind(
    name="case",
    label=gettext_lazy("Cases overdue or due soon"),
    subject_template="voice/lists/email_reminder_subject.txt",
    body_template="voice/lists/email_reminder_body.txt",
    sections=("mine_overdue", "mine_soon", "unassigned", "heads"),
    collect=digests,
    context=_context,
)
