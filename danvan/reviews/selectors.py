"""Reads of the review reports kept in the system: the periods a report can cover, a unit's drafts and
their versions, and where each figure of a report leads (the records it counts).

Nothing here writes; a period nobody prepared is listed nowhere and never prepared by a read.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.orgs.models import Unit
from danvan.reports import derived, periods
from danvan.reports import selectors as report_selectors
from danvan.reports.models import DataElement

from .content import HALF_TYPES, YEAR_TYPES, Piece, Review
from .models import ReviewDraft, ReviewVersion, State

# Citizen-voice figures have no records list registered with their source: the case list, filtered.
CASE_FILTERS: dict[str, dict[str, str]] = {
    "SUGGESTIONS_RECEIVED": {"kind": "suggestion"},
    "SUGGESTIONS_ANSWERED": {"kind": "suggestion"},
    "PETITIONS_RECEIVED": {},
    "COMPLAINTS_RECEIVED": {},
    "DENUNCIATIONS_RECEIVED": {"kind": "denunciation"},
    "CASES_RESOLVED": {"state": "resolved"},
    "CASES_RESOLVED_ON_TIME": {"state": "resolved"},
}


@dataclass(frozen=True)
class Offered:
    code: str
    words: str


def periods_offered() -> list[Offered]:
    """The prepared half-years and years, the latest first, named in words."""
    found = report_selectors.prepared_periods().filter(period_type__in=HALF_TYPES | YEAR_TYPES)
    return [Offered(p.code, periods.period_words(p)) for p in found.order_by("-end", "period_type")]


def drafts_of(unit: Unit, period_code: str) -> list[ReviewDraft]:
    """The unit's reports of the period, the latest first, each with its versions (latest first)."""
    return list(
        ReviewDraft.objects.filter(unit=unit, period_code=period_code).prefetch_related(
            "versions__created_by"
        )
    )


def drafts_for(user, unit: Unit) -> QuerySet[ReviewDraft]:
    """The unit's reports of every period (what a unit's page lists), if `user` may see its figures."""
    visible = policy.scope(user, Perm.REPORT_VIEW, ReviewDraft.objects.filter(unit=unit))
    return visible.order_by("-period_code", "-id")


def versions_for(user) -> QuerySet[ReviewVersion]:
    """Versions of the reports of the units where `user` sees the figures."""
    return policy.scope(user, Perm.REPORT_VIEW, ReviewVersion.objects.all(), field="draft__unit__path")


def open_draft(unit: Unit, period_code: str) -> ReviewDraft | None:
    return ReviewDraft.objects.filter(unit=unit, period_code=period_code, state=State.DRAFT).first()


def latest_version(draft: ReviewDraft | None) -> ReviewVersion | None:
    return draft.versions.order_by("-number").first() if draft is not None else None


def figure_links(review: Review) -> dict[Piece, str]:
    """Each figure of `review` → the address of the records it counts: the records list its source
    registers (training classes, mediation cases, models, commendations …), the case list for citizen
    voice, else the reports dashboard of the unit and period (for an indicator, on that indicator)."""
    period = report_selectors.period_find(review.period_code) if review.prepared else None
    if period is None:
        return {}
    pieces = {
        p for section in review.parts for text in section.paragraphs for p in getattr(text, "pieces", ())
    }
    counted = [p for p in pieces if p.counted]
    unit = Unit.objects.filter(code=review.unit_code).first()
    if unit is None or not counted:
        return {}
    elements = {
        e.code: e for e in DataElement.objects.filter(code__in={p.element for p in counted if p.element})
    }
    dashboard = reverse("reports:dashboard")
    links = {}
    for piece in counted:
        if piece.url:
            links[piece] = piece.url
        elif piece.indicator:
            query = {"unit": unit.code, "period": period.code, "indicator": piece.indicator}
            links[piece] = f"{dashboard}?{urlencode(query)}"
        else:
            links[piece] = _element_url(elements.get(piece.element), piece.element, unit, period) or (
                f"{dashboard}?{urlencode({'unit': unit.code, 'period': period.code})}"
            )
    return links


def _element_url(element: DataElement | None, code: str, unit: Unit, period) -> str:
    source = derived.SOURCES.get(element.source) if element is not None and element.is_derived else None
    if source is not None and source.records is not None:
        return source.records(unit.id, period) or ""
    if code in CASE_FILTERS:
        query = {"unit": unit.code, **CASE_FILTERS[code]}
        if "state" not in query:  # received in the period; resolved ones whenever they came
            query |= {"received_from": _day(period.start), "received_to": _day(period.end)}
        return f"{reverse('voice:case_list')}?{urlencode(query)}"
    return ""


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")
