"""Counting statutory periods on the working-day calendar (Bộ luật Dân sự 2015, Điều 147–148).

`due_date(start, days, unit, pauses)` is the last day of a period:

- The day of the event is not counted; counting starts the next day (Điều 147 khoản 2–3).
- Calendar days: the period ends at the end of its N-th day (Điều 148 khoản 1); when that day is a
  day off — weekend, holiday, an administrator's day off — the period ends at the end of the next
  working day (Điều 148 khoản 5).
- Working days: the period ends at the end of the N-th working day after the start day.
- Pauses stop the clock. A pause `(first, last)` covers both days. A day counts only if it is after
  the start day and inside no pause; the clock stops on `first` and runs again on the day after
  `last`. So a pause wholly inside the period moves the due date by the paused days that would have
  counted: all of them for calendar days, its working days for working days. A pause that begins
  after the last counted day but before a day-off roll ends also holds the end: the period ends
  on the first working day after the last counted day that is not paused. Days of a pause before
  the start day change nothing. Overlapping pauses count once.

`deadline(procedure, step, start, …)` is a case clock: the rule in force on the start day
(`selectors.rule_for`), its days for a complex case or a remote area, its extensions, then
`due_date`. Nothing here writes; bad input raises ValidationError with a Vietnamese message.
"""

import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from danvan.core.dates import day_text, parse_day

from . import calendar as workdays
from . import selectors
from .models import MAX_DAYS, DeadlineRule

CALENDAR = DeadlineRule.DayUnit.CALENDAR.value
WORKING = DeadlineRule.DayUnit.WORKING.value
UNITS = (CALENDAR, WORKING)
ONE_DAY = datetime.timedelta(days=1)

Pause = tuple[datetime.date, datetime.date]


def _is_date(value) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def check_days(days) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            _("The number of days must be a whole number between 1 and %(max)s.") % {"max": MAX_DAYS}
        )
    return days


def check_pauses(pauses: Iterable) -> list[Pause]:
    """Pauses sorted and merged; each must be two dates, the first not after the last."""
    spans = []
    for pause in pauses:
        if not (isinstance(pause, Sequence) and len(pause) == 2 and all(_is_date(d) for d in pause)):
            raise ValidationError(_("A pause is two dates: the first and the last paused day."))
        first, last = pause
        if last < first:
            raise ValidationError(
                _("The pause %(first)s – %(last)s ends before it begins.")
                % {"first": day_text(first), "last": day_text(last)}
            )
        spans.append((first, last))
    merged: list[Pause] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _counted(after: datetime.date, spans: list[Pause], cal, working_only: bool) -> Iterator[datetime.date]:
    """The days after `after` that the clock counts, in order (OverflowError at the end of the calendar)."""
    day, index = after, 0
    while True:
        day += ONE_DAY
        while index < len(spans) and spans[index][1] < day:
            index += 1
        if index < len(spans) and spans[index][0] <= day:
            day = spans[index][1]  # jump over the pause
            continue
        if working_only and not cal.is_working_day(day):
            continue
        yield day


def due_date(
    start: datetime.date,
    days: int,
    unit: str,
    pauses: Iterable[Pause] = (),
    *,
    calendar: workdays.WorkingCalendar | None = None,
) -> datetime.date:
    """The last day of a period of `days` `unit` ("calendar" or "working") counted from the event on `start`.

    Pass `calendar` (from `calendar.current()`) to compute many deadlines on one snapshot.
    """
    if not _is_date(start):
        raise ValidationError(_("The start is not a valid date."))
    check_days(days)
    if unit not in UNITS:
        raise ValidationError(_("The day unit must be “calendar” or “working”."))
    spans = check_pauses(pauses)
    cal = calendar or workdays.current()
    try:
        counted = _counted(start, spans, cal, working_only=unit == WORKING)
        for _number in range(days - 1):
            next(counted)
        last = next(counted)
        if unit == CALENDAR:
            last = next(_counted(last - ONE_DAY, spans, cal, working_only=True))
    except OverflowError:
        raise ValidationError(_("The due date falls beyond the end of the calendar.")) from None
    return last


# ---------------------------------------------------------------- a case clock from the rules


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else str(value)


@dataclass(frozen=True)
class Deadline:
    due: datetime.date
    rule: DeadlineRule
    days: int  # the period applied, extensions included
    unit: str

    @property
    def citation(self) -> str:
        return self.rule.citation


def deadline(
    procedure: str,
    step: str,
    start: datetime.date,
    complex: bool = False,
    remote: bool = False,
    extensions: int = 0,
    pauses: Iterable[Pause] = (),
) -> Deadline:
    """The due date of `step` of `procedure` for a clock that starts on `start`, and the rule used.

    Each extension (decided in writing) adds the rule's days per extension to the period, counted
    from the same start; more extensions than the rule allows are refused.
    """
    if not _is_date(start):
        raise ValidationError(_("The start is not a valid date."))
    rule = selectors.rule_for(procedure, step, start)
    if rule is None:
        raise ValidationError(
            _("No deadline rule for %(procedure)s — %(step)s is in force on %(date)s.")
            % {
                "procedure": _label(DeadlineRule.Procedure, procedure),
                "step": _label(DeadlineRule.Step, step),
                "date": day_text(start),
            }
        )
    if isinstance(extensions, bool) or not isinstance(extensions, int) or extensions < 0:
        raise ValidationError(_("The number of extensions must be a whole number, zero or more."))
    if extensions > rule.extensions_allowed:
        raise ValidationError(
            _("Rule %(code)s (%(citation)s) allows at most %(allowed)s extension(s); %(asked)s were asked.")
            % {
                "code": rule.code,
                "citation": rule.citation,
                "allowed": rule.extensions_allowed,
                "asked": extensions,
            }
        )
    days = rule.days_for(complex=complex, remote=remote) + extensions * (rule.extension_days or 0)
    return Deadline(
        due=due_date(start, days, rule.day_unit, pauses), rule=rule, days=days, unit=rule.day_unit
    )


# ---------------------------------------------------------------- reading pauses typed by people

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_VN = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
_DATE = re.compile(f"{_ISO.pattern}|{_VN.pattern}")


def parse_date(text: str) -> datetime.date:
    """A date typed as YYYY-MM-DD or dd/mm/yyyy (read by `core.dates.parse_day`)."""
    text = (text or "").strip()
    day = parse_day(text) if _DATE.fullmatch(text) else None
    if day is not None:
        return day
    raise ValidationError(_("“%(text)s” is not a valid date (YYYY-MM-DD or dd/mm/yyyy).") % {"text": text})


def parse_pause(text: str) -> Pause:
    """ "2026-02-11:2026-02-13" or "11/02/2026 – 13/02/2026": the first and the last paused day."""
    found = _DATE.findall(text or "")
    leftover = _DATE.sub("", text or "").strip(" :–—-\t")
    if len(found) != 2 or leftover:
        raise ValidationError(
            _("“%(text)s” is not a pause: write the first and the last day, e.g. 2026-02-11:2026-02-13.")
            % {"text": (text or "").strip()}
        )
    first, last = parse_date(found[0]), parse_date(found[1])
    return check_pauses([(first, last)])[0]
