"""The figures the reports read from the training register: sources registered with
`danvan.reports.sources` (keys are the catalogue's contracts).

- "training.classes": the classes whose first day lies in the period, at their unit;
- "training.participants": the participants of those classes (their counts summed).

A unit with a class in the period gets both values; a unit with none gets no value. The roll-up sums
them up the tree. `refresh(units, days)` follows a change of the records in every prepared period
containing one of the days, for those units only; the services call it inside their transaction.
"""

import datetime

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from danvan.orgs.models import Unit
from danvan.reports import sources as report_sources

from .models import TrainingClass

CLASSES = "training.classes"
PARTICIPANTS = "training.participants"
SOURCE_KEYS = {
    CLASSES: _("Training classes held (training register)"),
    PARTICIPANTS: _("Participants of the training classes held (training register)"),
}


def unit_counts(start: datetime.date, end: datetime.date, unit_ids: list[int] | None) -> dict[int, dict]:
    """unit id → {source key: value} for every unit with a class whose first day is in [start, end]."""
    qs = TrainingClass.objects.filter(held_on__gte=start, held_on__lte=end)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return {
        row["unit_id"]: {CLASSES: row["classes"], PARTICIPANTS: row["people"] or 0}
        for row in qs.order_by().values("unit_id").annotate(classes=Count("id"), people=Sum("participants"))
    }


def _compute(key: str):
    def compute(period, unit_ids):
        return {
            unit_id: counts[key]
            for unit_id, counts in unit_counts(period.start, period.end, unit_ids).items()
        }

    return compute


def records_url(unit_id: int, period) -> str:
    """The list of the classes a unit's report figure counts: the unit and its subtree, the period's days."""
    code = Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or ""
    query = {"unit": code, "from": period.start.isoformat(), "to": period.end.isoformat()}
    return f"{reverse('training:list')}?{urlencode(query)}"


def register() -> None:
    """Give the reports module the training sources (called from the app's ready())."""
    for key, label in SOURCE_KEYS.items():
        report_sources.register(report_sources.Source(key, label, _compute(key), records=records_url))


def refresh(unit_ids, days) -> None:
    """Recompute the training figures of these units in the prepared periods containing any of `days`."""
    report_sources.refresh_days(unit_ids, days, keys=list(SOURCE_KEYS))
