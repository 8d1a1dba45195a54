"""Reception's part of the work home (core.worklist): leaders' reception days to hold or to log.

For the units where the user keeps the reception register (CASE_HANDLE, as the reception days page asks
to plan and log): each planned day not logged yet, due on its date (past: it waits to be logged); and,
at the units where the user's grants start and that keep reception days, the current month (week at
commune level) when no day is planned or held in it yet (`selectors.compliance`), due at its end.
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core import worklist
from danvan.core.worklist import Found, WorkItem
from danvan.orgs.models import Unit

from . import selectors
from .models import ReceptionDay, UnitSetting

UNITS_CHECKED = 20  # the units whose legal minimum is checked for one user (their grants' own units)


def _days_url(unit: Unit, day: datetime.date) -> str:
    return f"{reverse('reception:days', args=[unit.code])}?year={day.year}"


def _day_item(day: ReceptionDay) -> WorkItem:
    return WorkItem(
        title=_("Reception day of %(leader)s, %(position)s")
        % {"leader": day.leader_name, "position": day.leader_position},
        unit=day.unit.name,
        due=day.date,
        url=_days_url(day.unit, day.date),
        kind=_("Reception day"),
        state=_("Not logged yet"),
    )


def _unplanned(user, today: datetime.date) -> list[WorkItem]:
    """The current period of each of the user's own units that keeps reception days, when nothing is planned."""
    paths = policy.scope_paths(user, Perm.CASE_HANDLE)
    if not paths:  # none, or a superuser (everywhere): no unit of their own
        return []
    keeps_days = Exists(ReceptionDay.objects.filter(unit=OuterRef("pk"))) | Exists(
        UnitSetting.objects.filter(unit=OuterRef("pk"))
    )
    units = Unit.objects.filter(keeps_days, path__in=paths, valid_to__isnull=True).order_by("path")
    items = []
    for unit in units[:UNITS_CHECKED]:
        check = selectors.compliance(unit, today.year, today=today)
        for period in check.periods:
            if period.start <= today <= period.end and period.status == selectors.Status.NOT_PLANNED:
                items.append(
                    WorkItem(
                        title=_("Plan the leader's reception day: %(period)s") % {"period": period.label},
                        unit=unit.name,
                        due=period.end,
                        url=_days_url(unit, today),
                        kind=_("Reception day"),
                        state=str(period.status_label),
                    )
                )
    return items


def reception_due(user, today: datetime.date, limit: int) -> Found:
    soon = today + datetime.timedelta(days=worklist.SOON_DAYS)
    days = policy.scope(
        user, Perm.CASE_HANDLE, ReceptionDay.objects.filter(Q(held__isnull=True), date__lte=soon)
    ).select_related("unit")
    planned = worklist.found_in(days.order_by("date", "id"), limit, _day_item)
    unplanned = _unplanned(user, today)
    merged = worklist.found([*planned.items, *unplanned], limit)
    return Found(merged.items, planned.total + len(unplanned))


def register() -> None:
    worklist.register(
        key="reception",
        label=gettext_lazy("Reception days"),
        order=60,
        collect=reception_due,
        nav="reception:home",
        more_url="reception:home",
    )
