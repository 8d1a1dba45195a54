"""Reads of the reception module: a unit's register over a period, its reception days, the legal-minimum check.

The legal minimum (Luật Tiếp công dân 2013, Luật số 42/2013/QH13): the head of an agency receives
citizens in person at least one day a month (khoản 2 Điều 18); at commune level the chairman of the
commune People's Committee does so at least one day a week (điểm d khoản 2 Điều 15). A period
is met when a reception day in it is logged as held. A period that has ended without one is not
met; one still running (or to come) is planned when a day in it is planned and not yet logged,
else not planned yet. Weeks are ISO weeks (Monday to Sunday) of the ISO year.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core.dates import day_text
from danvan.orgs.models import Unit

from .models import Entry, ReceptionDay, UnitSetting

MONTHLY_CITATION = "Luật Tiếp công dân 2013, khoản 2 Điều 18"
WEEKLY_CITATION = "Luật Tiếp công dân 2013, điểm d khoản 2 Điều 15"


class Status(models.TextChoices):
    MET = "met", gettext_lazy("Minimum met")
    NOT_MET = "not_met", gettext_lazy("Minimum not met")
    PLANNED = "planned", gettext_lazy("Reception day planned")
    NOT_PLANNED = "not_planned", gettext_lazy("Not planned yet")


def register_entries(unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet[Entry]:
    """The unit's register lines received from `start` to `end` (inclusive), in register order."""
    return (
        Entry.objects.filter(unit=unit, received_on__gte=start, received_on__lte=end)
        .select_related("unit", "case", "leader_day")
        .order_by("year", "number")
    )


def is_commune_level(unit: Unit) -> bool:
    return UnitSetting.objects.filter(unit=unit, commune_level=True).exists()


def days_of(unit: Unit, start: datetime.date, end: datetime.date) -> list[ReceptionDay]:
    return list(ReceptionDay.objects.filter(unit=unit, date__gte=start, date__lte=end).order_by("date", "id"))


def open_days(unit: Unit, day: datetime.date) -> QuerySet[ReceptionDay]:
    """Reception days of the unit on `day` that an entry may point at (not logged as not held)."""
    return ReceptionDay.objects.filter(unit=unit, date=day).exclude(held=False)


@dataclass
class PeriodCheck:
    label: str
    start: datetime.date
    end: datetime.date
    status: str
    days: list[ReceptionDay] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def held(self) -> int:
        return sum(1 for day in self.days if day.held)

    @property
    def unlogged(self) -> int:
        """Days planned in the period and not logged (held or not)."""
        return sum(1 for day in self.days if day.held is None)


@dataclass
class Compliance:
    unit: Unit
    year: int
    commune_level: bool
    months: list[PeriodCheck]
    weeks: list[PeriodCheck]

    @property
    def periods(self) -> list[PeriodCheck]:
        """The periods the legal minimum counts: weeks at commune level, months elsewhere."""
        return self.weeks if self.commune_level else self.months

    @property
    def met(self) -> int:
        return sum(1 for period in self.periods if period.status == Status.MET)

    @property
    def not_met(self) -> int:
        return sum(1 for period in self.periods if period.status == Status.NOT_MET)

    @property
    def citation(self) -> str:
        return WEEKLY_CITATION if self.commune_level else MONTHLY_CITATION


def period_status(days: list[ReceptionDay], end: datetime.date, today: datetime.date) -> str:
    if any(day.held for day in days):
        return Status.MET
    if end < today:
        return Status.NOT_MET
    if any(day.held is None for day in days):
        return Status.PLANNED
    return Status.NOT_PLANNED


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def _check(label: str, start, end, days, today) -> PeriodCheck:
    inside = [day for day in days if start <= day.date <= end]
    return PeriodCheck(label, start, end, period_status(inside, end, today), inside)


def compliance(unit: Unit, year: int, *, today: datetime.date | None = None) -> Compliance:
    """Each month of `year` (and each ISO week, at commune level) checked against the legal minimum."""
    today = today or timezone.localdate()
    commune = is_commune_level(unit)
    first_week = datetime.date.fromisocalendar(year, 1, 1)
    week_count = datetime.date(year, 12, 28).isocalendar().week
    last_week_end = datetime.date.fromisocalendar(year, week_count, 7)
    start = min(first_week, datetime.date(year, 1, 1))
    end = max(last_week_end, datetime.date(year, 12, 31))
    days = days_of(unit, start, end)
    months = [
        _check(
            _("Month %(month)s") % {"month": month},
            datetime.date(year, month, 1),
            _month_end(year, month),
            days,
            today,
        )
        for month in range(1, 13)
    ]
    weeks = []
    if commune:
        for week in range(1, week_count + 1):
            monday = datetime.date.fromisocalendar(year, week, 1)
            sunday = monday + datetime.timedelta(days=6)
            label = _("Week %(week)s (%(start)s – %(end)s)") % {
                "week": week,
                "start": day_text(monday),
                "end": day_text(sunday),
            }
            weeks.append(_check(label, monday, sunday, days, today))
    return Compliance(unit=unit, year=year, commune_level=commune, months=months, weeks=weeks)
