"""The figures the reports read from the cases: sources registered with `danvan.reports.sources`.

Each unit's own count for a period, so report forms are pre-filled and the roll-up sums them up the
tree. Received counts follow `Case.received_on` and the case's responsible unit; answered
suggestions follow the decision date; resolved cases are the resolve clocks stopped in the period
at the unit where they ran. A unit with any case received or resolved in the period gets every
voice element (zeros included); a unit with none gets no value.

`case_event_saved` (connected in apps.py): a case received, transferred, reclassified or resolved
moves those counts; the prepared periods containing the day it touches are recomputed for the units
concerned, in the same transaction (as the organisation registry's sources are, reports/signals.py).
"""

import contextlib
import contextvars
import datetime

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from danvan.reports import sources as report_sources
from danvan.voice.deadlines.models import DeadlineRule

from .models import Case, CaseEvent, Clock, Kind

Step = DeadlineRule.Step
COMPLAINTS = (Kind.COMPLAINT_FIRST, Kind.COMPLAINT_SECOND)
PETITIONS = (Kind.PETITION, Kind.FEEDBACK)

SOURCE_KEYS = {
    "voice.suggestions_received": _("Suggestions received (citizen voice)"),
    "voice.suggestions_answered": _("Suggestions answered (citizen voice)"),
    "voice.complaints_received": _("Complaints received (citizen voice)"),
    "voice.denunciations_received": _("Denunciations received (citizen voice)"),
    "voice.petitions_received": _("Petitions and feedback received (citizen voice)"),
    "voice.cases_resolved": _("Cases resolved within a statutory period (citizen voice)"),
    "voice.cases_resolved_on_time": _("… of which resolved on time (citizen voice)"),
}

_batch: contextvars.ContextVar[dict | None] = contextvars.ContextVar("voice_source_batch", default=None)


@contextlib.contextmanager
def _remembering():
    """Within the block, the counts of a (period, units) are computed once for all voice sources."""
    token = _batch.set({})
    try:
        yield
    finally:
        _batch.reset(token)


def unit_counts(start: datetime.date, end: datetime.date, unit_ids: list[int] | None) -> dict[int, dict]:
    """unit id → {source key: count} for every unit with a case received or resolved in [start, end]."""
    memo = _batch.get()
    memo_key = (start, end, tuple(unit_ids) if unit_ids is not None else None)
    if memo is not None and memo_key in memo:
        return memo[memo_key]
    received = Q(received_on__gte=start, received_on__lte=end)
    answered = Q(decision_date__isnull=False, finished_on__gte=start, finished_on__lte=end)
    cases = Case.objects.filter(received | answered)
    clocks = Clock.objects.filter(
        step=Step.RESOLVE, cancelled=False, stopped_on__gte=start, stopped_on__lte=end
    )
    if unit_ids is not None:
        cases, clocks = cases.filter(unit_id__in=unit_ids), clocks.filter(unit_id__in=unit_ids)
    result: dict[int, dict] = {}

    def row(unit_id: int) -> dict:
        return result.setdefault(unit_id, dict.fromkeys(SOURCE_KEYS, 0))

    for item in cases.values("unit_id").annotate(
        suggestions=Count("id", filter=received & Q(kind=Kind.SUGGESTION)),
        answered=Count("id", filter=answered & Q(kind=Kind.SUGGESTION)),
        complaints=Count("id", filter=received & Q(kind__in=COMPLAINTS)),
        denunciations=Count("id", filter=received & Q(kind=Kind.DENUNCIATION)),
        petitions=Count("id", filter=received & Q(kind__in=PETITIONS)),
        any_received=Count("id", filter=received),
    ):
        if not (item["any_received"] or item["answered"]):
            continue
        counts = row(item["unit_id"])
        counts["voice.suggestions_received"] = item["suggestions"]
        counts["voice.suggestions_answered"] = item["answered"]
        counts["voice.complaints_received"] = item["complaints"]
        counts["voice.denunciations_received"] = item["denunciations"]
        counts["voice.petitions_received"] = item["petitions"]
    for item in clocks.values("unit_id").annotate(
        n=Count("id"), good=Count("id", filter=Q(stopped_on__lte=F("due_on")))
    ):
        counts = row(item["unit_id"])
        counts["voice.cases_resolved"] = item["n"]
        counts["voice.cases_resolved_on_time"] = item["good"]
    if memo is not None:
        memo[memo_key] = result
    return result


def _source(key: str):
    def compute(period, unit_ids):
        return {
            unit_id: counts[key]
            for unit_id, counts in unit_counts(period.start, period.end, unit_ids).items()
        }

    return compute


def register() -> None:
    """Give the reports module the voice sources (called from the app's ready())."""
    for key, label in SOURCE_KEYS.items():
        report_sources.register(report_sources.Source(key, label, _source(key)))


def refresh(unit_ids: set[int], days: set[datetime.date]) -> None:
    """Recompute the voice elements of these units in the prepared periods containing any of `days`."""
    with _remembering():
        report_sources.refresh_days(unit_ids, days, keys=list(SOURCE_KEYS))


def case_event_saved(sender, instance: CaseEvent, created=False, raw=False, **kwargs) -> None:
    """A case moved in a way the counts see: follow it in the periods it touches."""
    if raw or not created:
        return
    Action = CaseEvent.Action
    case = instance.case
    if instance.action == Action.RECEIVE:
        units = {case.unit_id, instance.details.get("from_unit")}
        refresh(units, {case.received_on})
    elif instance.action in (Action.CLASSIFY, Action.RECLASSIFY):
        if "kind" in (instance.details.get("changes") or {}):
            refresh({case.unit_id}, {case.received_on})
    elif instance.action == Action.RESOLVE:
        refresh({case.unit_id}, {case.decision_date, case.finished_on})
