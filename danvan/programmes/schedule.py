"""When a task is due: the deadlines its rule gives, counted from the programme's start, the
document's date, a typed date or another task's deadline; recurring rules up to the horizon.

Pure computations over the rows given (and the tasks a relative rule counts from): nothing here writes.
"""

import calendar
import datetime

from django.utils import timezone

from .models import DueRule, Programme, RelativeBase, Task

RECURRING = (DueRule.ANNUAL, DueRule.SEMIANNUAL)
UNDATED = (DueRule.NONE, DueRule.ONGOING)  # one occurrence without a deadline
CHAIN_MAX = 50  # relative rules counted from tasks counted from tasks …: a sane depth


def today() -> datetime.date:
    return timezone.localdate()


def horizon(day: datetime.date | None = None) -> datetime.date:
    """Recurring tasks get their occurrences up to the end of next year."""
    return datetime.date((day or today()).year + 1, 12, 31)


def valid_day(day: int, month: int) -> bool:
    """A day that exists every year (29/02 does not)."""
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2023, month)[1]


def _on(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def base_date(
    programme: Programme, base: str, *, day: datetime.date | None = None, other: Task | None = None
) -> datetime.date | None:
    """The date a relative rule counts from: the date typed in, the document's date, the programme's
    start, or the single deadline of `other` (None when that task has no single deadline)."""
    if base == RelativeBase.DOCUMENT:
        document = programme.document if programme.document_id else None
        return document.issued_on if document is not None else None
    if base == RelativeBase.START:
        return programme.starts_on
    if base == RelativeBase.TASK:
        if other is None or other.rule in RECURRING or other.rule in UNDATED:
            return None
        dates = due_dates(other)
        return dates[0] if len(dates) == 1 else None
    return day


def due_dates(
    task: Task, until: datetime.date | None = None, *, _depth: int = 0
) -> list[datetime.date | None]:
    """The deadlines of `task`: one (or None) for a non-recurring rule, every one up to `until` otherwise."""
    if task.rule == DueRule.FIXED:
        return [task.due_on]
    if task.rule == DueRule.RELATIVE:
        if _depth > CHAIN_MAX:  # the services refuse cycles; a damaged chain gives no date, never a loop
            return [None]
        other = task.relative_task if task.relative_base == RelativeBase.TASK else None
        start: datetime.date | None
        if other is not None and other.rule == DueRule.RELATIVE:
            nested = due_dates(other, _depth=_depth + 1)
            start = nested[0] if len(nested) == 1 else None
        else:
            start = base_date(task.programme, task.relative_base, day=task.relative_to, other=other)
        if start is None or task.relative_days is None:
            return [None]
        return [start + datetime.timedelta(days=task.relative_days)]
    if task.rule in RECURRING and task.day is not None and task.month is not None:
        first = task.programme.starts_on
        until = until or horizon()
        months = [task.month]
        if task.rule == DueRule.SEMIANNUAL:
            months.append((task.month + 5) % 12 + 1)
        found: list[datetime.date | None] = []
        for year in range(first.year, until.year + 1):
            for month in months:
                day = _on(year, month, task.day)
                if first <= day <= until:
                    found.append(day)
        return sorted(found, key=lambda day: day or datetime.date.min)
    return [None]
