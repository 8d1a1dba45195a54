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

This module says who is reminded of what (`REMINDER_KIND`, sections own_soon, own_overdue and below);
`danvan.reminders` sends it: an item already sent to a user that day is never sent again, so a
second run the same day sends nothing, and each e-mail is in the audit log (`report.reminder`).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.actors import System
from danvan.accounts.models import Role
from danvan.accounts.policy import Perm
from danvan.accounts.selectors import holders
from danvan.orgs.models import Unit
from danvan.reminders.kinds import Digests, Kind, Sections

from . import periods, selectors, services
from .models import Period, Report, ReportForm
from .selectors import SUBMITTED_STATES

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


REMINDERS = System("report reminders")


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
    start = periods.reporting_start()
    items: list[Item] = []
    for form in ReportForm.objects.filter(is_active=True).prefetch_related("unit_types", "unit_groups"):
        for code in _candidate_periods(form, today, start):
            span = periods.span(code, start)
            # The deadline needs only the dates: the period is created only when it matters.
            deadline = periods.deadline_for(form, Period(code=code, start=span.start, end=span.end))
            kind = reminder_kind(deadline, today, form.remind_days_before)
            if kind is None:
                continue
            period = services.period_get(code=code, by=REMINDERS)
            deadline = periods.deadline_for(form, period)  # the stored dates are authoritative
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


def digests(today: datetime.date) -> Digests:
    """Who is reminded of which missing report today (before the check of what was already sent)."""
    items = missing_items(today=today)
    found = Digests()
    own = holders(unit_ids={i.unit.id for i in items}, roles=REPORTING_ROLES)
    for item in items:
        for user in own.get(item.unit.id, ()):
            found.add(user, "own_soon" if item.kind == SOON else "own_overdue", item)
    overdue = [i for i in items if i.kind == OVERDUE]
    parents = _parents(overdue)
    above = holders(unit_ids=set(parents.values()), perm=Perm.REPORT_APPROVE)
    for item in overdue:
        parent = parents.get((item.period.id, item.unit.id), 0)  # 0: a root, nobody above
        for user in above.get(parent, ()):
            if policy.can_above(user, Perm.REPORT_APPROVE, item.unit):  # not a unit moved away since
                found.add(user, "below", item)
    return found


def _context(sections: Sections, today: datetime.date) -> dict:
    return {"overdue": bool(sections["own_overdue"] or sections["below"])}


REMINDER_KIND = Kind(
    name="report",
    label=gettext_lazy("Reports due soon or overdue"),
    subject_template="reports/email_reminder_subject.txt",
    body_template="reports/email_reminder_body.txt",
    sections=("own_soon", "own_overdue", "below"),
    collect=digests,
    context=_context,
)
