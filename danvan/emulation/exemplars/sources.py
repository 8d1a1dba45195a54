"""The report figures read from the “Dân vận khéo” models (sources registered with `danvan.reports.sources`).

- "exemplars.registered": models registered at the unit within the period (`Exemplar.registered_on`);
- "exemplars.recognised": models of the unit recognised within the period (`Exemplar.decision_date`);
- "exemplars.replicated": replications recorded by the unit within the period (`Replication.adopted_on`),
  counted at the unit that adopted the model.

Each counts at the unit itself; the live roll-up sums them up the tree, so a unit's figure covers
its subtree. The services refresh the prepared periods a write touches inside their transaction.
Each source's `records` is the list of models filtered to the unit (its subtree) and the period.
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.reports import sources as report_sources

from .models import Exemplar, Replication

REGISTERED = "exemplars.registered"
RECOGNISED = "exemplars.recognised"
REPLICATED = "exemplars.replicated"
SOURCE_KEYS = [REGISTERED, RECOGNISED, REPLICATED]


def _counts(qs, day_field: str, start: datetime.date, end: datetime.date, unit_ids) -> dict[int, int]:
    qs = qs.filter(**{f"{day_field}__gte": start, f"{day_field}__lte": end})
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return {row["unit_id"]: row["n"] for row in qs.values("unit_id").annotate(n=Count("id"))}


def registered(period, unit_ids) -> dict[int, int]:
    return _counts(Exemplar.objects.all(), "registered_on", period.start, period.end, unit_ids)


def recognised(period, unit_ids) -> dict[int, int]:
    return _counts(
        Exemplar.objects.filter(stage="recognised"), "decision_date", period.start, period.end, unit_ids
    )


def replicated(period, unit_ids) -> dict[int, int]:
    return _counts(Replication.objects.all(), "adopted_on", period.start, period.end, unit_ids)


def list_url(*, unit_code: str = "", **query: str) -> str:
    """The list of models filtered to a unit (its subtree) and more (stage, year …)."""
    values = {"unit": unit_code, **query}
    return reverse("exemplars:list") + "?" + urlencode({k: v for k, v in values.items() if v})


def _records(**extra: str):
    def records(unit_id: int, period) -> str:
        from danvan.orgs.models import Unit

        code = Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or ""
        return list_url(unit_code=code, year=str(period.end.year), **extra)

    return records


def register() -> None:
    """Give the reports module the models' sources (called from the app's ready())."""
    report_sources.register(
        report_sources.Source(
            REGISTERED, _("“Dân vận khéo” models registered"), registered, records=_records()
        )
    )
    report_sources.register(
        report_sources.Source(
            RECOGNISED,
            _("“Dân vận khéo” models recognised"),
            recognised,
            records=_records(stage="recognised"),
        )
    )
    report_sources.register(
        report_sources.Source(
            REPLICATED,
            _("“Dân vận khéo” models replicated by other units"),
            replicated,
            records=_records(replicated="1"),
        )
    )


def refresh(unit_ids: set[int], days: set, *, keys: list[str] | None = None) -> None:
    """Recompute the models' figures of these units in the prepared periods containing any of `days`."""
    report_sources.refresh_days(unit_ids, days, keys=keys or [REGISTERED, RECOGNISED])
