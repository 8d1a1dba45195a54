"""When an assignment is due and whether it recurs ("trước 15 tháng 12 hằng năm", "Định kỳ 6 tháng, 1 năm …").

`due_parts` finds the first deadline written in a sentence and `due_on` gives its date (a day without a
year is the first such day after the document's date); `recurrence_of` says whether and how the
assignment recurs; `is_recurring_report` recognises a recurring report written without saying who reports."""

from __future__ import annotations

import calendar
import datetime
import re

from danvan.core.text import search_key

from .text import date_of

# A sentence that opens with how often it recurs ("Định kỳ 6 tháng, 1 năm …", "Hằng năm, …").
RECURRING_OPENER_RE = re.compile(
    r"^(?:định kỳ|(?:hằng|hàng|mỗi)(?=\s+(?:năm|quý|tháng))|(?=(?:0?6|sáu)\s+tháng))"
    r"(?:(?:\s*(?:,|và|/|hoặc)\s*|\s+)(?:(?:hằng|hàng|mỗi)\s+)?(?:(?:0?6|sáu|0?1|một|0?3|ba)\s+)?"
    r"(?:năm|quý|tháng)(?:\s+(?:một|1)\s+lần)?)*\s*,?",
    re.IGNORECASE,
)
_SIX_MONTHLY_RE = re.compile(
    r"(?:định kỳ|hằng|hàng|mỗi)\s+(?:0?6|sáu)\s+tháng|(?:0?6|sáu)\s+tháng\s+(?:một|1)\s+lần", re.IGNORECASE
)
_YEARLY_AFTER_RE = re.compile(r"\s*(?:(?:vào\s+)?(?:hằng|hàng|mỗi)\s+năm)\b", re.IGNORECASE)
_DUE_DIGITS_RE = re.compile(
    r"(?:trước|chậm nhất|không quá|hạn chót|hạn)\s*(?:là\s*)?(?:ngày\s*)?"
    r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?",
    re.IGNORECASE,
)
_DUE_WORDS_RE = re.compile(
    r"(?:trước|chậm nhất|không quá|hạn chót|hạn)\s*(?:là\s*)?(?:ngày\s*)?"
    r"(\d{1,2})\s*tháng\s*(\d{1,2})(?:\s*năm\s*(\d{4}))?",
    re.IGNORECASE,
)


# "trong quý III/2026", "trong quý 3 năm 2026", "trong tháng 10/2026", "trong năm 2026": by the period's end.
_DUE_PERIOD_RE = re.compile(
    r"(?:trong|hoàn thành|xong|chậm nhất|cuối)\s+(?:(?:trong|vào)\s+)?"
    r"(?:quý\s+(?P<quarter>IV|I{1,3}|[1-4])|tháng\s+(?P<month>\d{1,2}))?\s*"
    r"(?:(?<=\S)\s*/\s*|(?<=\S)\s+năm\s+|(?<!\S)năm\s+)(?P<year>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# "thường xuyên" as how the task is done ("thường xuyên theo dõi"), not "không thường xuyên".
_ONGOING_RE = re.compile(r"(?<!không )(?<!chưa )\bthường xuyên\b", re.IGNORECASE)
# "…; định kỳ báo cáo kết quả về Đảng ủy khối": a report at intervals the sentence does not give.
_PERIODIC_REPORT_RE = re.compile(r"\bđịnh kỳ(?:\s+\S+){0,2}?\s+báo cáo\b", re.IGNORECASE)


def _period_end(match: re.Match) -> tuple[str, str, str, bool] | None:
    year = int(match.group("year"))
    if match.group("quarter"):
        month = 3 * _QUARTERS[match.group("quarter").lower()]
    elif match.group("month"):
        month = int(match.group("month"))
        if not 1 <= month <= 12:
            return None
    else:
        month = 12
    last = calendar.monthrange(year, month)[1]
    return str(last), str(month), str(year), False


def due_parts(text: str) -> tuple[str, str, str | None, bool] | None:
    """(day, month, year or None, whether "hằng năm" follows) of the first deadline written in `text`:
    a day ("trước ngày 15/12", "hoàn thành trước 30/6/2027") or the end of a period ("trong quý III/2026")."""
    for pattern in (_DUE_DIGITS_RE, _DUE_WORDS_RE):
        match = pattern.search(text)
        if match:
            day, month, year = match.groups()
            return day, month, year, bool(_YEARLY_AFTER_RE.match(text, match.end()))
    for match in _DUE_PERIOD_RE.finditer(text):
        found = _period_end(match)
        if found is not None:
            return found
    return None


def is_ongoing(body: str) -> bool:
    """ "… thường xuyên theo dõi, kiểm tra …": a task done all along, with no deadline."""
    return bool(_ONGOING_RE.search(body))


def due_on(parts: tuple | None, issued_on: datetime.date | None) -> str | None:
    if parts is None:
        return None
    day, month, year, _yearly = parts
    if year:
        date = date_of(day, month, year)
        return date.isoformat() if date else None
    if issued_on is None:
        return None
    # Recurring ("trước 15 tháng 12 hàng năm") or no year: the first such day after the issue date.
    for candidate_year in (issued_on.year, issued_on.year + 1, issued_on.year + 4):
        date = date_of(day, month, str(candidate_year))
        if date and date > issued_on:
            return date.isoformat()
    return None


def recurrence_of(body: str, parts: tuple | None) -> dict | None:
    """{"every": "semiannual" | "annual", "day", "month"} when the assignment recurs, else None.

    Semi-annual: "Định kỳ 6 tháng(, 1 năm) …", "6 tháng một lần". Annual: "Hằng năm, …", "Định kỳ hằng
    năm / 1 năm …", or a deadline followed by "hằng năm" ("trước 15 tháng 12 hàng năm"). A "hằng năm" elsewhere
    ("kế hoạch công tác hằng năm") qualifies a noun, not the task. The day and month are those of the
    deadline when one is written (a day that no year has, as 31/2, gives none)."""
    opener = RECURRING_OPENER_RE.match(body)
    period = search_key(opener.group(0)) if opener else ""
    if re.search(r"\b(?:0?6|sau) thang\b", period) or _SIX_MONTHLY_RE.search(body):
        every = "semiannual"
    elif re.search(r"\bnam\b", period) or (parts is not None and parts[3]):
        every = "annual"
    elif not opener and parts is None and _PERIODIC_REPORT_RE.search(body):
        every = "annual"  # the day comes from the document's yearly report deadline, if it gives one
    else:
        return None
    day = month = None
    if parts is not None and date_of(parts[0], parts[1], "2000"):  # 2000: a leap year, so 29/2 is a day
        day, month = int(parts[0]), int(parts[1])
    return {"every": every, "day": day, "month": month}


def is_recurring_report(body: str) -> bool:
    """ "Định kỳ 6 tháng, 1 năm đánh giá …, báo cáo về Đảng ủy khối": a report due on a recurring basis,
    written without saying who reports (not a past event: "đã báo cáo", "được báo cáo")."""
    if not RECURRING_OPENER_RE.match(body):
        return False
    report = re.search(r"(?<!\w)báo cáo(?!\w)", body)
    return bool(report) and not re.search(r"(?<!\w)(?:đã|đang|được|chưa)(?!\w)", body[: report.start()])
