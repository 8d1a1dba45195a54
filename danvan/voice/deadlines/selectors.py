"""Reads of the deadline engine: which deadline rule governs a clock, the rules, a year of the calendar."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from . import calendar as workdays
from .models import CalendarDay, DeadlineRule


def rule_for(procedure: str, step: str, on_date: datetime.date) -> DeadlineRule | None:
    """The rule for `procedure` and `step` in force on `on_date`, the day the clock starts."""
    return (
        DeadlineRule.objects.filter(procedure=procedure, step=step, effective_from__lte=on_date)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on_date))
        .order_by("-effective_from")
        .first()
    )


def rules() -> QuerySet[DeadlineRule]:
    return DeadlineRule.objects.order_by("procedure", "step", "-effective_from")


@dataclass
class CalendarRow:
    info: workdays.DayInfo
    entry: CalendarDay | None  # the administrator's entry, if any


def calendar_year(year: int) -> list[CalendarRow]:
    """What the page shows for a year: every day off that is not a plain weekend, every worked
    weekend day, and every administrator's entry, in date order."""
    cal = workdays.current()
    entries = {entry.date: entry for entry in CalendarDay.objects.filter(date__year=year)}
    rows = []
    first = datetime.date(year, 1, 1).toordinal()
    last = datetime.date(year, 12, 31).toordinal()
    for ordinal in range(first, last + 1):
        info = cal.explain(datetime.date.fromordinal(ordinal))
        if info.source in ("admin", "library"):
            rows.append(CalendarRow(info=info, entry=entries.get(info.day)))
    return rows
