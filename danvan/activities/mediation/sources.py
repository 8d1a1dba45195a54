"""The report figures read from the mediation register (sources registered with `danvan.reports.sources`).

- "mediation.cases_received": cases received at the unit within the period (`Case.received_on` in
  the period, counted at the unit that received them) → MEDIATION_CASES;
- "mediation.cases_successful": those of them whose result is a successful mediation →
  MEDIATION_SUCCESSFUL. So MEDIATION_SUCCESS_RATE = successful ÷ received × 100 (seed 001: 1.673
  of 2.276 = 73,5 %).
- "mediation.mediators_trained": mediators of the unit's teams whose last training fell in the
  period (no catalogue element reads it yet).

A unit with any case received in the period gets both case figures (zeros included); a unit with
none gets no value. The services refresh the prepared periods a write touches (the old and the
new unit and date) inside their transaction (`refresh`); an import refreshes once for all its rows.
Each source's `records` is the register filtered to the unit (and its subtree) and the period's dates.
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.reports import sources as report_sources

from .models import Case, Mediator, Result

RECEIVED = "mediation.cases_received"
SUCCESSFUL = "mediation.cases_successful"
TRAINED = "mediation.mediators_trained"
CASE_KEYS = [RECEIVED, SUCCESSFUL]
SOURCE_KEYS = [RECEIVED, SUCCESSFUL, TRAINED]


def case_counts(start: datetime.date, end: datetime.date, unit_ids: list[int] | None) -> dict[int, dict]:
    """unit id → {RECEIVED: n, SUCCESSFUL: n} for every unit that received a case in [start, end]."""
    cases = Case.objects.filter(received_on__gte=start, received_on__lte=end)
    if unit_ids is not None:
        cases = cases.filter(unit_id__in=unit_ids)
    return {
        row["unit_id"]: {RECEIVED: row["received"], SUCCESSFUL: row["successful"]}
        for row in cases.values("unit_id").annotate(
            received=Count("id"), successful=Count("id", filter=Q(result=Result.SUCCESSFUL))
        )
    }


def _cases(key: str):
    def compute(period, unit_ids):
        return {
            unit_id: counts[key]
            for unit_id, counts in case_counts(period.start, period.end, unit_ids).items()
        }

    return compute


def _trained(period, unit_ids):
    mediators = Mediator.objects.filter(trained_on__gte=period.start, trained_on__lte=period.end)
    if unit_ids is not None:
        mediators = mediators.filter(team__unit_id__in=unit_ids)
    return {
        row["team__unit_id"]: row["n"] for row in mediators.values("team__unit_id").annotate(n=Count("id"))
    }


def register_url(
    *,
    unit_code: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    result: str = "",
) -> str:
    """The register page filtered to a unit (and its subtree), received dates and a result."""
    query = {
        "unit": unit_code,
        "from": start.isoformat() if start else "",
        "to": end.isoformat() if end else "",
    }
    query["result"] = result
    return reverse("mediation:cases") + "?" + urlencode({k: v for k, v in query.items() if v})


def _records(result: str = ""):
    def records(unit_id: int, period) -> str:
        from danvan.orgs.models import Unit

        code = Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or ""
        return register_url(unit_code=code, start=period.start, end=period.end, result=result)

    return records


def _teams(unit_id: int, period) -> str:
    from danvan.orgs.models import Unit

    code = Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or ""
    return reverse("mediation:teams") + "?" + urlencode({"unit": code})


def register() -> None:
    """Give the reports module the mediation sources (called from the app's ready())."""
    report_sources.register(
        report_sources.Source(
            RECEIVED, _("Mediation cases received (mediation register)"), _cases(RECEIVED), records=_records()
        )
    )
    report_sources.register(
        report_sources.Source(
            SUCCESSFUL,
            _("… of which mediated successfully (mediation register)"),
            _cases(SUCCESSFUL),
            records=_records(Result.SUCCESSFUL),
        )
    )
    report_sources.register(
        report_sources.Source(TRAINED, _("Mediators trained (mediation teams)"), _trained, records=_teams)
    )


def refresh(unit_ids: set[int], days: set[datetime.date], *, keys: list[str] = CASE_KEYS) -> None:
    """Recompute the mediation figures of these units in the prepared periods containing any of `days`."""
    report_sources.refresh_days(unit_ids, days, keys=keys)
