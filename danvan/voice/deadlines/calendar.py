"""The working-day calendar of Vietnamese state offices.

A day is a working day unless it is a day off. What decides, first match wins:

1. an administrator's entry (`CalendarDay`) for the date — `day_off` or `working_day` — whatever
   the library or the weekday say (the bridge days and worked Saturdays announced each year);
2. a public holiday in the `holidays` library (`country_holidays("VN")`): New Year, lunar Tết,
   Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh, days in lieu of a holiday on a weekend, and the
   swaps the government announced for the years the library knows (a day off moved next to a
   holiday);
3. a Saturday the library knows was worked in exchange for such a swap;
4. Saturday and Sunday are off.

Deadlines read one frozen set of days off per year, built once per process from the library and
one query for the administrators' entries. A change of `CalendarDay` bumps a version token in the
shared cache (Redis in production), so every process rebuilds on its next look; while the change is
not yet committed, calendars are built fresh each time and not kept (a rollback leaves nothing stale).
"""

import datetime
import functools
import uuid
from dataclasses import dataclass

import holidays
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

ONE_DAY = datetime.timedelta(days=1)
SATURDAY = 5
WORKING_DAY = "working_day"


@dataclass(frozen=True)
class LibraryYear:
    holidays: dict[datetime.date, str]  # day off -> its name (Vietnamese)
    worked: frozenset[datetime.date]  # weekend days worked in exchange for a day off


@dataclass(frozen=True)
class Entry:
    kind: str
    reason: str


@dataclass(frozen=True)
class DayInfo:
    """Why a day is what it is (the calendar page shows it)."""

    day: datetime.date
    working: bool
    source: str  # "admin", "library" or "weekend"
    reason: str


@functools.cache
def _library_raw(year: int) -> tuple[dict[datetime.date, str], frozenset[datetime.date]]:
    # Years outside the library's lunar tables give no holidays (checked for 1, 1800, 2200, 9999): no error to catch.
    found = holidays.country_holidays("VN", years=year, language="vi")
    return dict(found), frozenset(found.weekend_workdays)


@functools.cache
def library_year(year: int) -> LibraryYear:
    """The library's holidays of `year` and its worked weekend days (a swap may be announced in the year after)."""
    days_off, worked = _library_raw(year)
    if year < datetime.MAXYEAR:
        worked = worked | _library_raw(year + 1)[1]
    return LibraryYear(
        holidays={day: name for day, name in days_off.items() if day.year == year},
        worked=frozenset(day for day in worked if day.year == year),
    )


class WorkingCalendar:
    """The days off, year by year, for one set of administrators' entries."""

    def __init__(self, entries: dict[datetime.date, Entry]):
        self.entries = entries
        self._days_off: dict[int, frozenset[datetime.date]] = {}

    def explain(self, day: datetime.date) -> DayInfo:
        entry = self.entries.get(day)
        if entry is not None:
            return DayInfo(day, entry.kind == WORKING_DAY, "admin", entry.reason)
        library = library_year(day.year)
        if day in library.holidays:
            return DayInfo(day, False, "library", library.holidays[day])
        if day.weekday() >= SATURDAY:
            worked = day in library.worked
            return DayInfo(day, worked, "library" if worked else "weekend", "")
        return DayInfo(day, True, "weekday", "")

    def days_off(self, year: int) -> frozenset[datetime.date]:
        found = self._days_off.get(year)
        if found is None:
            first = datetime.date(year, 1, 1).toordinal()
            last = datetime.date(year, 12, 31).toordinal()
            days = (datetime.date.fromordinal(n) for n in range(first, last + 1))
            found = self._days_off[year] = frozenset(day for day in days if not self.explain(day).working)
        return found

    def is_working_day(self, day: datetime.date) -> bool:
        return day not in self.days_off(day.year)

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day after `day` (OverflowError past the end of the calendar)."""
        day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return day


# ---------------------------------------------------------------- the shared, cached calendar

_state: dict = {"version": None, "calendar": None, "uncommitted": False}


def _version_key() -> str:
    return f"danvan:voice:calendar-version:{settings.DATABASES['default']['NAME']}"


def _shared_version() -> str | None:
    key = _version_key()
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key)
    return version


def _load() -> WorkingCalendar:
    from .models import CalendarDay

    entries = CalendarDay.objects.values_list("date", "kind", "reason")
    return WorkingCalendar({day: Entry(kind, reason) for day, kind, reason in entries})


def current() -> WorkingCalendar:
    """The calendar as administrators left it. Keep it for a batch of computations."""
    if _state["uncommitted"]:
        return _load()
    version = _shared_version()
    if version is None or _state["version"] != version or _state["calendar"] is None:
        calendar = _load()
        if version is not None:
            _state.update(version=version, calendar=calendar)
        return calendar
    return _state["calendar"]


def invalidate() -> None:
    """Make every process rebuild its calendar on its next look."""
    cache.set(_version_key(), uuid.uuid4().hex, None)
    _state.update(version=None, calendar=None)


def _committed() -> None:
    _state["uncommitted"] = False
    invalidate()


def changed(sender=None, **kwargs) -> None:
    """Signal receiver: a CalendarDay was saved or deleted."""
    invalidate()
    if connection.in_atomic_block:
        _state["uncommitted"] = True
        transaction.on_commit(_committed)


def forget() -> None:
    """Drop everything cached (tests roll back rows without signals)."""
    _state.update(uncommitted=False)
    invalidate()


def is_working_day(day: datetime.date) -> bool:
    return current().is_working_day(day)


def next_working_day(day: datetime.date) -> datetime.date:
    return current().next_working_day(day)
