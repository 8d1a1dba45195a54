"""The figure the reports read from the dialogues: "dialogues.held" (element DIALOGUES_HELD).

Each unit's own count for a period: the dialogues held at the unit (as recorded) on a day within the
period; the roll-up sums them up the tree. A unit with none gets no value. `records(unit_id, period)` is
the list page filtered to that unit alone and the period's dates. The services call `refresh` for the
old and new (unit, day) of every change, inside their transaction.
"""

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from danvan.orgs.models import Unit
from danvan.reports import sources as report_sources

from .models import Dialogue

HELD = "dialogues.held"
KEYS = [HELD]


def held(period, unit_ids: list[int] | None) -> dict[int, int]:
    qs = Dialogue.objects.filter(held_on__gte=period.start, held_on__lte=period.end)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return {row["unit_id"]: row["n"] for row in qs.values("unit_id").annotate(n=Count("id")).order_by()}


def records(unit_id: int, period) -> str:
    code = Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or ""
    query = {"unit": code, "from": period.start.isoformat(), "to": period.end.isoformat()}
    return f"{reverse('dialogues:home')}?{urlencode(query)}"


def register() -> None:
    report_sources.register(
        report_sources.Source(HELD, _("Dialogues held (dialogues register)"), held, records=records)
    )


def refresh(unit_ids: set[int], days: set[datetime.date]) -> None:
    """Recompute the dialogues figure of these units in the prepared periods containing any of `days`."""
    report_sources.refresh_days(unit_ids, days, keys=KEYS)
