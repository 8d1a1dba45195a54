"""The report figures read from the commendations (sources registered with `danvan.reports.sources`).

- "commendations.collectives": collectives commended, counted at the recipient's unit, whose decision
  is dated within the period;
- "commendations.individuals": the same for individuals.

Seed 001: "2013: 40 collectives and 20 individuals commended". A unit with no commendation in the
period gets no value; the roll-up sums the subtree. The services refresh the prepared periods a write
touches (old and new unit and decision date) inside their transaction (`refresh`). Each source's
`records` is the list filtered to the unit (and its subtree), the kind and the period's decision dates.
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.reports import sources as report_sources

from .models import Commendation, Kind

COLLECTIVES = "commendations.collectives"
INDIVIDUALS = "commendations.individuals"
SOURCE_KEYS = [COLLECTIVES, INDIVIDUALS]
KIND_OF = {COLLECTIVES: Kind.COLLECTIVE, INDIVIDUALS: Kind.INDIVIDUAL}


def counts(kind: str, start: datetime.date, end: datetime.date, unit_ids: list[int] | None) -> dict[int, int]:
    """unit id → commendations of `kind` whose decision date falls in [start, end], at the recipient's unit."""
    rows = Commendation.objects.filter(kind=kind, decision_date__gte=start, decision_date__lte=end)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    return {row["unit_id"]: row["n"] for row in rows.values("unit_id").annotate(n=Count("id"))}


def _compute(key: str):
    def compute(period, unit_ids):
        return counts(KIND_OF[key], period.start, period.end, unit_ids)

    return compute


def list_url(
    *,
    unit_code: str = "",
    kind: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    year: int | None = None,
    form: str = "",
) -> str:
    """The list of commendations filtered to a unit (and its subtree), a kind, decision dates, a year, a form."""
    query = {
        "unit": unit_code,
        "kind": kind,
        "from": start.isoformat() if start else "",
        "to": end.isoformat() if end else "",
        "year": str(year or ""),
        "form": form,
    }
    return reverse("commendations:list") + "?" + urlencode({k: v for k, v in query.items() if v})


def _records(key: str):
    def records(unit_id: int, period) -> str:
        from danvan.orgs.models import Unit

        code = Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or ""
        return list_url(unit_code=code, kind=KIND_OF[key], start=period.start, end=period.end)

    return records


def register() -> None:
    """Give the reports module the commendation sources (called from the app's ready())."""
    report_sources.register(
        report_sources.Source(
            COLLECTIVES,
            _("Collectives commended (commendations, by decision date)"),
            _compute(COLLECTIVES),
            records=_records(COLLECTIVES),
        )
    )
    report_sources.register(
        report_sources.Source(
            INDIVIDUALS,
            _("Individuals commended (commendations, by decision date)"),
            _compute(INDIVIDUALS),
            records=_records(INDIVIDUALS),
        )
    )


def refresh(unit_ids: set[int], days: set[datetime.date]) -> None:
    """Recompute the commendation figures of these units in the prepared periods containing any of `days`."""
    report_sources.refresh_days(unit_ids, days, keys=SOURCE_KEYS)
