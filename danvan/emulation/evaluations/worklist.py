"""The evaluations' part of the work home (core.worklist, key "evaluations"): self-assessments due
(the period has ended and the unit has not submitted: EMULATION_RECORD at the unit) and reviews due
(submitted by a unit below where the user reviews, not classified yet: EMULATION_REVIEW above it)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core import worklist
from danvan.core.worklist import Found, WorkItem
from danvan.reports.periods import period_words

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


def collect(user, today: datetime.date, limit: int) -> Found:
    own = list(selectors.due_self_assessments(user, today).order_by("period_end", "id")[: limit + 1])
    reviews = list(selectors.due_reviews(user).order_by("period_end", "id")[: limit + 1])
    items = [_item(e, _("Self-assessment due")) for e in own] + [_item(e, _("Review due")) for e in reviews]
    total = selectors.due_self_assessments(user, today).count() + selectors.due_reviews(user).count()
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
