"""The evaluations' part of the work home (core.worklist, key "evaluations"): self-assessments due
(the period has ended and the unit has not submitted: EMULATION_RECORD at the unit), evaluations not
opened at all for the last year or half-year that ended (`selectors.due_unopened`: a scorecard applies to
the unit; the line leads to the page that opens it, unit and period filled in) and reviews due
(submitted by a unit below where the user reviews, not classified yet: EMULATION_REVIEW above it).

Each list is read once, one line more than shown; it is counted only when it has more than that."""

import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core import worklist
from danvan.core.worklist import Found, WorkItem
from danvan.orgs.models import Unit
from danvan.reports.periods import Span, period_words

from . import selectors
from .models import Evaluation


def _item(evaluation: Evaluation, kind: str) -> WorkItem:
    return WorkItem(
        title=_("Evaluation, %(period)s") % {"period": period_words(evaluation.period)},
        unit=evaluation.unit.name,
        due=evaluation.period_end,
        url=reverse("evaluations:evaluation", args=[evaluation.pk]),
        kind=kind,
        state=evaluation.get_state_display(),
    )


def _unopened_item(unit: Unit, span: Span) -> WorkItem:
    query = urlencode({"unit": unit.code, "period": span.code})
    return WorkItem(
        title=_("Evaluation, %(period)s") % {"period": period_words(span.code)},
        unit=unit.name,
        due=span.end,
        url=f"{reverse('evaluations:start')}?{query}",
        kind=_("Self-assessment not opened"),
    )


def _read(qs: QuerySet, limit: int) -> tuple[list, int]:
    """The first `limit` + 1 rows of `qs` and how many it has (counted only beyond that)."""
    rows = list(qs[: limit + 1])
    return rows, len(rows) if len(rows) <= limit else qs.count()


def collect(user, today: datetime.date, limit: int) -> Found:
    own, total = _read(selectors.due_self_assessments(user, today).order_by("period_end", "id"), limit)
    reviews, count = _read(selectors.due_reviews(user).order_by("period_end", "id"), limit)
    items = [_item(e, _("Self-assessment due")) for e in own] + [_item(e, _("Review due")) for e in reviews]
    total += count
    for span, units in selectors.due_unopened(user, today):
        found, count = _read(units, limit)
        items += [_unopened_item(unit, span) for unit in found]
        total += count
    items.sort(key=worklist.urgency)
    return Found(items[:limit], total)


def register() -> None:
    worklist.register(
        key="evaluations",
        label=gettext_lazy("Evaluations to assess or review"),
        order=90,
        collect=collect,
        nav="evaluations:home",
        more_url="evaluations:home",
    )
