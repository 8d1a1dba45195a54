"""Reminders before and after a report's deadline (issue 3, item 6).

Run once a day (Celery beat, `tasks.send_report_reminders`). For each active form and each of
the current and previous periods of its type:

- "due soon": the deadline is today or within `form.remind_days_before` days — every unit that
  is expected to report and has not submitted is reminded, every day of that window;
- "overdue": the deadline has passed — reminded on the day after the deadline, then every week
  for up to `OVERDUE_WEEKS` more weeks (days 1, 8, 15, 22 and 29 after the deadline).

Who gets them: the users holding a reporting role (reporter, mobilisation officer, unit head) at
the unit itself, with an active account and an e-mail address; once overdue, also the users
holding a role with REPORT_APPROVE at the unit's parent (as the tree stood in the period), who
get a summary of their overdue units. Each user gets one e-mail per run listing everything.

Each e-mail is recorded in the audit log (action `report.reminder`, the day and the items); an
item already sent to a user that day is never sent again, so a second run the same day sends
nothing.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from danvan.accounts import policy
from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.policy import GRANTS, Perm
from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core.mail import send_templated
from danvan.orgs.models import Unit

from . import periods, selectors, services
from .models import Period, Report, ReportForm
from .selectors import SUBMITTED_STATES

ACTION = "report.reminder"
OVERDUE_WEEKS = 4
REPORTING_ROLES = (Role.REPORTER, Role.MOBILISATION_OFFICER, Role.UNIT_HEAD)
SOON, OVERDUE = "soon", "overdue"


@dataclass(frozen=True)
class Item:
    """One unit's missing report of one form for one period."""

    form: ReportForm
    period: Period
    unit: Unit
    deadline: datetime.date
    kind: str  # SOON or OVERDUE
    days: int  # days left (SOON) or days late (OVERDUE)

    @property
    def key(self) -> str:
        return f"{self.form.code}/{self.unit.code}/{self.period.code}/{self.kind}"

    @property
    def path(self) -> str:
        return f"/reports/{self.form.code}/{self.unit.code}/{self.period.code}/"

    @property
    def link(self) -> str:
        return settings.SITE_URL.rstrip("/") + self.path


@dataclass
class Digest:
    """What one user is reminded of in one run."""

    user: User
    own: list[Item] = field(default_factory=list)  # reports of units where the user reports
    below: list[Item] = field(default_factory=list)  # overdue reports of the units beneath

    @property
    def items(self) -> list[Item]:
        return self.own + self.below


def reminder_kind(deadline: datetime.date, today: datetime.date, days_before: int) -> str | None:
    """SOON, OVERDUE or None: whether a missing report is reminded of today."""
    left = (deadline - today).days
    if 0 <= left <= days_before:
        return SOON
    late = -left
    if late >= 1 and (late - 1) % 7 == 0 and (late - 1) // 7 <= OVERDUE_WEEKS:
        return OVERDUE
    return None


def _candidate_periods(form: ReportForm, today: datetime.date, start: tuple[int, int]) -> list[str]:
    current = periods.containing(form.period_type, today, start)
    return [periods.shift(current, -1, start), current]


def missing_items(*, today: datetime.date) -> list[Item]:
    """Every (form, period, unit) whose report is missing and is reminded of today."""
    start = services.reporting_start()
    items: list[Item] = []
    for form in ReportForm.objects.filter(is_active=True).prefetch_related("unit_types", "unit_groups"):
        for code in _candidate_periods(form, today, start):
            span = periods.span(code, start)
            # The deadline needs only the dates: the period is created only when it matters.
            deadline = services.deadline_for(form, Period(code=code, start=span.start, end=span.end))
            kind = reminder_kind(deadline, today, form.remind_days_before)
            if kind is None:
                continue
            period = services.period_get(code)
            deadline = services.deadline_for(form, period)  # the stored dates are authoritative
            expected = set(selectors.expected_places(form, period).values_list("unit_id", flat=True))
            submitted = set(
                Report.objects.filter(
                    form=form, period=period, unit_id__in=expected, status__in=SUBMITTED_STATES
                ).values_list("unit_id", flat=True)
            )
            days = abs((deadline - today).days)
            for unit in Unit.objects.filter(id__in=expected - submitted).order_by("code"):
                items.append(Item(form, period, unit, deadline, kind, days))
    return items


def _recipients(unit_ids: set[int], roles) -> dict[int, set[User]]:
    """unit id → the active users with an e-mail address holding one of `roles` at that very unit."""
    found: dict[int, set[User]] = defaultdict(set)
    assignments = (
        RoleAssignment.objects.filter(unit_id__in=unit_ids, role__in=list(roles), user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    )
    for assignment in assignments:
        found[assignment.unit_id].add(assignment.user)
    return found


def _parents(items: list[Item]) -> dict[tuple[int, int], int]:
    """(period id, unit id) → the id of the unit's parent in the period's tree."""
    from .models import PeriodUnit

    wanted = defaultdict(set)
    for item in items:
        wanted[item.period.id].add(item.unit.id)
    parents = {}
    for period_id, unit_ids in wanted.items():
        for place in PeriodUnit.objects.filter(period_id=period_id, unit_id__in=unit_ids):
            ancestors = selectors.ancestors_of(place)
            if ancestors:
                parents[(period_id, place.unit_id)] = ancestors[-1]
    return parents


def digests(*, today: datetime.date) -> list[Digest]:
    """One digest per user with something to be reminded of today (before the per-day check)."""
    items = missing_items(today=today)
    by_user: dict[int, Digest] = {}

    def digest(user: User) -> Digest:
        return by_user.setdefault(user.pk, Digest(user))

    own = _recipients({i.unit.id for i in items}, REPORTING_ROLES)
    for item in items:
        for user in own.get(item.unit.id, ()):
            digest(user).own.append(item)
    overdue = [i for i in items if i.kind == OVERDUE]
    parents = _parents(overdue)
    approver_roles = [role for role, perms in GRANTS.items() if Perm.REPORT_APPROVE in perms]
    above = _recipients(set(parents.values()), approver_roles)
    for item in overdue:
        parent = parents.get((item.period.id, item.unit.id))
        for user in above.get(parent, ()):
            if policy.can_above(user, Perm.REPORT_APPROVE, item.unit):  # not a unit moved away since
                digest(user).below.append(item)
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
        "user": digest.user,
        "name": digest.user.get_full_name() or digest.user.get_username(),
        "own_soon": [i for i in digest.own if i.kind == SOON],
        "own_overdue": [i for i in digest.own if i.kind == OVERDUE],
        "below": digest.below,
        "count": len(digest.items),
        "overdue": any(i.kind == OVERDUE for i in digest.items),
        "today": today,
    }
    send_templated(
        "reports/email_reminder_subject.txt", "reports/email_reminder_body.txt", context, digest.user.email
    )


def send_reminders(*, today: datetime.date | None = None) -> int:
    """Send today's reminders; returns how many e-mails were sent."""
    today = today or timezone.localdate()
    sent = 0
    for digest in digests(today=today):
        done = _already_sent(digest.user, today)
        digest.own = [i for i in digest.own if f"own:{i.key}" not in done]
        digest.below = [i for i in digest.below if f"below:{i.key}" not in done]
        if not digest.items:
            continue
        _send(digest, today)
        record(
            action=ACTION,
            model="accounts.user",
            object_id=str(digest.user.pk),
            object_repr=digest.user.get_username(),
            unit=digest.items[0].unit,
            changes={
                "day": today.isoformat(),
                "email": digest.user.email,
                "items": [f"own:{i.key}" for i in digest.own] + [f"below:{i.key}" for i in digest.below],
            },
        )
        sent += 1
    return sent
