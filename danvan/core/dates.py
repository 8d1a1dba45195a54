"""Dates as officials read and type them: dd/mm/yyyy, on the installation's local calendar.

One formatter and one parser for every module: `day_text` (06/12/2026), `moment_text`
(08:30 06/12/2026, local time) and `parse_day`, which accepts what the forms accept
(`INPUT_FORMATS`: 06/12/2026, 06-12-2026 and the ISO 2026-12-06).
"""

import datetime

from django.utils import formats, timezone

INPUT_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")


def day_text(day: datetime.date | None) -> str:
    """`day` as dd/mm/yyyy; "" for no date."""
    if day is None:
        return ""
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def moment_text(moment: datetime.datetime | None) -> str:
    """`moment` in local time as "HH:MM dd/mm/yyyy"; "" for none."""
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "H:i d/m/Y")


def parse_day(value: str | None) -> datetime.date | None:
    """The date typed in `value` (one of INPUT_FORMATS), or None when it is not one."""
    text = (value or "").strip()
    for pattern in INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
