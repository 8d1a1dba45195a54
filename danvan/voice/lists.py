"""Overdue and due-soon cases (issue 4, item 7), and the daily reminder e-mails.

A clock is listed while it runs (`stopped_on` empty) and its case is not paused waiting for the
submitter:

- overdue: its due date has passed;
- due soon: it is due today or within `SOON_WORKING_DAYS` working days (the voice calendar:
  weekends, Vietnamese holidays and the administrators' changes).

`due_clocks()` is one query whatever the number of rows (the case, its unit and handler come
with it); pages scope it with `policy.scope(user, CASE_VIEW, …)`.

Reminders (`send_reminders`, run daily by Celery beat, `tasks.send_case_reminders`): each handler
gets one e-mail listing their cases due soon and overdue; a case nobody handles yet goes to the
users holding the case-handler role at its unit; the heads of the case's unit (unit head role at
that very unit) get its overdue cases. An e-mail carries the reference, the subject, the step,
the due date and a link — never who sent the case. Each e-mail is recorded in the audit log
(action `case.reminder`, the day and the items), and an item already sent to a user that day is
not sent again: a second run the same day sends nothing new.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from danvan.accounts import policy
from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.policy import Perm
from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core.mail import send_templated

from . import calendar as workdays
from .models import Clock, State

SOON_WORKING_DAYS = 3
OVERDUE, SOON = "overdue", "soon"
ACTION = "case.reminder"


def soon_limit(today: datetime.date, working_days: int = SOON_WORKING_DAYS) -> datetime.date:
    """The last day that is "due soon": the `working_days`-th working day after today."""
    cal = workdays.current()
    day = today
    for _ in range(max(working_days, 0)):
        day = cal.next_working_day(day)
    return day


def due_clocks(*, today: datetime.date, working_days: int = SOON_WORKING_DAYS) -> QuerySet[Clock]:
    """Running clocks of cases not paused, overdue or due soon, the most urgent first (one query)."""
    return (
        Clock.objects.filter(stopped_on__isnull=True, due_on__lte=soon_limit(today, working_days))
        .exclude(case__state=State.PAUSED)
        .select_related("case", "case__unit", "case__handler")
        .order_by("due_on", "case__reference", "id")
    )


def status_of(clock: Clock, today: datetime.date) -> str:
    return OVERDUE if clock.due_on < today else SOON


def case_path(case) -> str:
    """The case's page (the lists filtered on the case if the case pages are not installed)."""
    try:
        return reverse("voice:case_detail", args=[case.pk])
    except NoReverseMatch:
        return reverse("voice:overdue") + f"?q={case.reference}"


# ---------------------------------------------------------------- reminders


@dataclass(frozen=True)
class Item:
    clock: Clock
    status: str  # OVERDUE or SOON
    days: int  # days late (overdue) or days left (soon), calendar days

    @property
    def case(self):
        return self.clock.case

    @property
    def key(self) -> str:
        return f"{self.status}:{self.clock.pk}"

    @property
    def link(self) -> str:
        return settings.SITE_URL.rstrip("/") + case_path(self.case)


@dataclass
class Digest:
    user: User
    mine: list[Item] = field(default_factory=list)  # cases the user handles
    unassigned: list[Item] = field(default_factory=list)  # cases of the user's unit nobody handles yet
    heads: list[Item] = field(default_factory=list)  # overdue cases of the unit the user heads

    @property
    def items(self) -> list[Item]:
        return self.mine + self.unassigned + self.heads


def _items(today: datetime.date) -> list[Item]:
    items = []
    for clock in due_clocks(today=today):
        status = status_of(clock, today)
        items.append(Item(clock, status, abs((clock.due_on - today).days)))
    return items


def _holders(unit_ids: set[int], role: str) -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    assignments = (
        RoleAssignment.objects.filter(unit_id__in=unit_ids, role=role, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    )
    for assignment in assignments:
        found[assignment.unit_id].append(assignment.user)
    return found


def digests(*, today: datetime.date) -> list[Digest]:
    """Who is reminded of what today (before the check of what was already sent)."""
    items = _items(today)
    by_user: dict[int, Digest] = {}

    def digest(user: User) -> Digest:
        return by_user.setdefault(user.pk, Digest(user))

    handlers = _holders(
        {item.case.unit_id for item in items if item.case.handler_id is None}, Role.CASE_HANDLER
    )
    heads = _holders({item.case.unit_id for item in items if item.status == OVERDUE}, Role.UNIT_HEAD)
    for item in items:
        case = item.case
        handler = case.handler
        if handler is not None:
            # Someone who no longer handles cases of the unit is not written to about them.
            if handler.is_active and handler.email and policy.can(handler, Perm.CASE_HANDLE, case.unit):
                digest(handler).mine.append(item)
        else:
            for user in handlers.get(case.unit_id, ()):
                digest(user).unassigned.append(item)
        if item.status == OVERDUE:
            for user in heads.get(case.unit_id, ()):
                if handler is None or user.pk != handler.pk:
                    digest(user).heads.append(item)
    return sorted(by_user.values(), key=lambda d: d.user.username)


def _already_sent(user: User, today: datetime.date) -> set[str]:
    sent: set[str] = set()
    events = AuditEvent.objects.filter(
        action=ACTION, model="accounts.user", object_id=str(user.pk), changes__day=today.isoformat()
    ).values_list("changes", flat=True)
    for changes in events:
        sent.update(changes.get("items", []))
    return sent


def _send(digest: Digest, today: datetime.date) -> None:
    context = {
        "name": digest.user.get_full_name() or digest.user.get_username(),
        "mine_overdue": [i for i in digest.mine if i.status == OVERDUE],
        "mine_soon": [i for i in digest.mine if i.status == SOON],
        "unassigned": digest.unassigned,
        "heads": digest.heads,
        "count": len(digest.items),
        "overdue": any(i.status == OVERDUE for i in digest.items),
        "today": today,
        "list_link": settings.SITE_URL.rstrip("/") + reverse("voice:overdue"),
    }
    send_templated(
        "voice/lists/email_reminder_subject.txt",
        "voice/lists/email_reminder_body.txt",
        context,
        digest.user.email,
    )


def send_reminders(*, today: datetime.date | None = None) -> int:
    """Send today's reminders; returns how many e-mails were sent."""
    today = today or timezone.localdate()
    sent = 0
    for digest in digests(today=today):
        done = _already_sent(digest.user, today)
        digest.mine = [i for i in digest.mine if f"mine:{i.key}" not in done]
        digest.unassigned = [i for i in digest.unassigned if f"unit:{i.key}" not in done]
        digest.heads = [i for i in digest.heads if f"head:{i.key}" not in done]
        if not digest.items:
            continue
        _send(digest, today)
        record(
            action=ACTION,
            model="accounts.user",
            object_id=str(digest.user.pk),
            object_repr=digest.user.get_username(),
            unit=digest.items[0].case.unit,
            changes={
                "day": today.isoformat(),
                "email": digest.user.email,
                "items": [f"mine:{i.key}" for i in digest.mine]
                + [f"unit:{i.key}" for i in digest.unassigned]
                + [f"head:{i.key}" for i in digest.heads],
                "cases": sorted({i.case.reference for i in digest.items}),
            },
        )
        sent += 1
    return sent
