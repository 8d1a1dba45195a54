"""Period codes and their intervals.

    2026      annual            01/01/2026 – 31/12/2026
    2026S1    semi-annual       01/01/2026 – 30/06/2026 (S2: 01/07 – 31/12)
    2026Q3    quarterly         01/07/2026 – 30/09/2026
    202609    monthly           01/09/2026 – 30/09/2026
    2026RY    reporting year    with the default start 15/12: 15/12/2025 – 14/12/2026
    2026RS1   its first half    15/12/2025 – 14/06/2026 (RS2: 15/06/2026 – 14/12/2026)

A reporting year is named after the calendar year in which it ends when it starts in the second
half of a year (15/12/2025 – 14/12/2026 is "2026RY", as in Nghị định 09/2019/NĐ-CP Điều 12), and
after the year in which it starts otherwise (01/04/2026 – 31/03/2027 is "2026RY").
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Period, PeriodType, ReportForm, ReportingCalendar

# ASCII digits only: "٢٠٢٦S1" (Arabic-Indic digits) is no other name of 2026S1, it is no period at all.
_PATTERNS = [
    (re.compile(r"^([0-9]{4})$"), PeriodType.ANNUAL),
    (re.compile(r"^([0-9]{4})S([12])$"), PeriodType.SEMIANNUAL),
    (re.compile(r"^([0-9]{4})Q([1-4])$"), PeriodType.QUARTERLY),
    (re.compile(r"^([0-9]{4})(0[1-9]|1[0-2])$"), PeriodType.MONTHLY),
    (re.compile(r"^([0-9]{4})RY$"), PeriodType.REPORTING_YEAR),
    (re.compile(r"^([0-9]{4})RS([12])$"), PeriodType.REPORTING_HALF),
]
MIN_YEAR, MAX_YEAR = 1990, 2100


class PeriodCodeError(ValueError):
    pass


@dataclass(frozen=True)
class Span:
    code: str
    period_type: str
    year: int
    index: int  # month, quarter or half; 1 for yearly types
    start: datetime.date
    end: datetime.date  # inclusive


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _anniversary(year: int, month: int, day: int) -> datetime.date:
    """day/month of `year`, or the month's last day when it is shorter (29/02, 31/04)."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def reporting_year_start(year: int, start: tuple[int, int]) -> datetime.date:
    day, month = start
    return _anniversary(year - 1 if month >= 7 else year, month, day)


def span(code: str, reporting_start: tuple[int, int] = (15, 12)) -> Span:
    """The interval a period code stands for. `reporting_start` is (day, month)."""
    code = (code or "").strip().upper()
    for pattern, kind in _PATTERNS:
        match = pattern.match(code)
        if match:
            period_type = kind
            break
    else:
        raise PeriodCodeError(
            _("“%(code)s” is not a period code (examples: 2026, 2026S1, 2026Q3, 202609, 2026RY).")
            % {"code": code}
        )
    year = int(match.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodCodeError(
            _("The year of period “%(code)s” must lie between %(min)s and %(max)s.")
            % {"code": code, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    index = int(match.group(2)) if match.lastindex and match.lastindex > 1 else 1
    if period_type == PeriodType.ANNUAL:
        start, months = datetime.date(year, 1, 1), 12
    elif period_type == PeriodType.SEMIANNUAL:
        start, months = datetime.date(year, 6 * index - 5, 1), 6
    elif period_type == PeriodType.QUARTERLY:
        start, months = datetime.date(year, 3 * index - 2, 1), 3
    elif period_type == PeriodType.MONTHLY:
        start, months = datetime.date(year, index, 1), 1
    else:
        year_start = reporting_year_start(year, reporting_start)
        half = _add_months(year_start, 6)
        next_start = reporting_year_start(year + 1, reporting_start)
        if period_type == PeriodType.REPORTING_YEAR:
            return Span(code, period_type, year, index, year_start, next_start - datetime.timedelta(days=1))
        if index == 1:
            return Span(code, period_type, year, index, year_start, half - datetime.timedelta(days=1))
        return Span(code, period_type, year, index, half, next_start - datetime.timedelta(days=1))
    end = _add_months(start, months) - datetime.timedelta(days=1)
    return Span(code, period_type, year, index, start, end)


def code_for(period_type: str, year: int, index: int = 1) -> str:
    codes: dict[str, str] = {
        PeriodType.ANNUAL: f"{year}",
        PeriodType.SEMIANNUAL: f"{year}S{index}",
        PeriodType.QUARTERLY: f"{year}Q{index}",
        PeriodType.MONTHLY: f"{year}{index:02d}",
        PeriodType.REPORTING_YEAR: f"{year}RY",
        PeriodType.REPORTING_HALF: f"{year}RS{index}",
    }
    return codes[period_type]


_PER_YEAR: dict[str, int] = {
    PeriodType.ANNUAL: 1,
    PeriodType.SEMIANNUAL: 2,
    PeriodType.QUARTERLY: 4,
    PeriodType.MONTHLY: 12,
    PeriodType.REPORTING_YEAR: 1,
    PeriodType.REPORTING_HALF: 2,
}


def shift(code: str, steps: int, reporting_start: tuple[int, int] = (15, 12)) -> str:
    """The code `steps` periods after (negative: before) `code`, of the same type."""
    current = span(code, reporting_start)
    per_year = _PER_YEAR[current.period_type]
    ordinal = current.year * per_year + (current.index - 1) + steps
    return code_for(current.period_type, ordinal // per_year, ordinal % per_year + 1)


def containing(period_type: str, day: datetime.date, reporting_start: tuple[int, int] = (15, 12)) -> str:
    """The code of the period of `period_type` that contains `day`."""
    if period_type == PeriodType.ANNUAL:
        return code_for(period_type, day.year)
    if period_type == PeriodType.SEMIANNUAL:
        return code_for(period_type, day.year, 1 if day.month <= 6 else 2)
    if period_type == PeriodType.QUARTERLY:
        return code_for(period_type, day.year, (day.month - 1) // 3 + 1)
    if period_type == PeriodType.MONTHLY:
        return code_for(period_type, day.year, day.month)
    for year in (day.year - 1, day.year, day.year + 1):
        for index in (1, 2) if period_type == PeriodType.REPORTING_HALF else (1,):
            candidate = span(code_for(period_type, year, index), reporting_start)
            if candidate.start <= day <= candidate.end:
                return candidate.code
    raise PeriodCodeError(day)  # pragma: no cover - every day lies in some reporting year


# ---------------------------------------------------------------- the installation's calendar


def reporting_start() -> tuple[int, int]:
    """(day, month) the reporting year starts on: the `ReportingCalendar`, 15/12 by default."""
    setting = ReportingCalendar.objects.first()
    return (setting.start_day, setting.start_month) if setting else (15, 12)


def period_span(code: str) -> Span:
    """The interval of `code` under the installation's reporting year; a bad code is a ValidationError."""
    try:
        return span(code, reporting_start())
    except PeriodCodeError as error:
        raise ValidationError({"period": str(error)}) from None


def deadline_for(form: ReportForm, period: Period) -> datetime.date:
    """The last day a report of `form` for `period` is on time."""
    if form.deadline_kind == ReportForm.Deadline.FIXED and form.deadline_day and form.deadline_month:
        day = _anniversary(period.end.year, form.deadline_month, form.deadline_day)
        if day < period.start:
            day = _anniversary(period.end.year + 1, form.deadline_month, form.deadline_day)
        return day
    return period.end + datetime.timedelta(days=form.deadline_days)


# ---------------------------------------------------------------- in words

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _dates(start: datetime.date, end: datetime.date) -> str:
    return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"


def period_words(period: Period | str, start: tuple[int, int] | None = None, *, dated: bool = False) -> str:
    """A period as a reader names it: "6 tháng đầu năm 2026", "Quý III/2026", "Tháng 9/2026",
    "Năm 2026", "Năm báo cáo 2026 (15/12/2025 – 14/12/2026)".

    `period` is a `Period` (its own dates, no query) or a code (a reporting year's dates then come
    from `start`, else the installation's calendar). Text that is no period code is returned as is.
    A reporting year or half always says its dates (they depend on the calendar); `dated` adds them to
    the others: "6 tháng đầu năm 2026 (01/01/2026 – 30/06/2026)".
    """
    code = period.code if isinstance(period, Period) else str(period or "")
    try:
        if isinstance(period, Period):
            found = span(code, start or (period.start.day, period.start.month))
            found = Span(found.code, found.period_type, found.year, found.index, period.start, period.end)
        elif re.search(r"R[YS]", code.upper()):
            found = span(code, start or reporting_start())
        else:
            found = span(code)
    except PeriodCodeError:
        return code
    words: dict[str, str] = {
        PeriodType.ANNUAL: _("Year %(year)s"),
        PeriodType.QUARTERLY: _("Quarter %(roman)s/%(year)s"),
        PeriodType.MONTHLY: _("Month %(index)s/%(year)s"),
        PeriodType.REPORTING_YEAR: _("Reporting year %(year)s (%(dates)s)"),
    }
    if found.period_type == PeriodType.SEMIANNUAL:
        text = _("First half of %(year)s") if found.index == 1 else _("Second half of %(year)s")
    elif found.period_type == PeriodType.REPORTING_HALF:
        text = (
            _("First half of reporting year %(year)s (%(dates)s)")
            if found.index == 1
            else _("Second half of reporting year %(year)s (%(dates)s)")
        )
    else:
        text = words[found.period_type]
    if dated and "%(dates)s" not in text:
        text = _("%(period)s (%(dates)s)") % {"period": text, "dates": "%(dates)s"}
    return text % {
        "year": found.year,
        "index": found.index,
        "roman": _ROMAN.get(found.index, found.index),
        "dates": _dates(found.start, found.end),
    }
