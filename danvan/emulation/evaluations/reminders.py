"""The daily reminder of evaluations (reminders kind "evaluation"): the recorders of a unit whose
evaluation period has ended and who have not submitted; the recorders of a unit that has not opened its
evaluation for the last year or half-year that ended although a scorecard applies to it
(`selectors.all_due_unopened`); the reviewers of the level above (the parent
unit, as the tree stands today) of each submitted evaluation not yet classified."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from danvan.accounts.policy import Perm
from danvan.accounts.selectors import holders
from danvan.orgs.models import Unit
from danvan.reminders.kinds import Digests, Kind, Sections
from danvan.reports.periods import Span, period_words

from . import selectors
from .models import Evaluation


@dataclass(frozen=True)
class Item:
    evaluation: Evaluation
    section: str

    @property
    def unit(self):
        return self.evaluation.unit

    @property
    def key(self) -> str:
        return f"{self.section}:{self.evaluation.pk}:{self.evaluation.state}"

    @property
    def period(self) -> str:
        return period_words(self.evaluation.period)

    @property
    def link(self) -> str:
        return settings.SITE_URL.rstrip("/") + reverse("evaluations:evaluation", args=[self.evaluation.pk])


@dataclass(frozen=True)
class Unopened:
    """A unit that has not opened its evaluation for a period that has ended."""

    unit: Unit
    span: Span

    @property
    def key(self) -> str:
        return f"unopened:{self.unit.pk}:{self.span.code}"

    @property
    def period(self) -> str:
        return period_words(self.span.code)

    @property
    def link(self) -> str:
        query = urlencode({"unit": self.unit.code, "period": self.span.code})
        return settings.SITE_URL.rstrip("/") + reverse("evaluations:start") + "?" + query


def digests(today: datetime.date) -> Digests:
    found = Digests()
    drafts = list(selectors.all_due_self_assessments(today))
    recorders = holders(unit_ids={e.unit_id for e in drafts}, perm=Perm.EMULATION_RECORD)
    for evaluation in drafts:
        for user in recorders.get(evaluation.unit_id, ()):
            found.add(user, "own", Item(evaluation, "own"))
    unopened = [Unopened(unit, span) for span, units in selectors.all_due_unopened(today) for unit in units]
    recorders = holders(unit_ids={u.unit.pk for u in unopened}, perm=Perm.EMULATION_RECORD)
    for item in unopened:
        for user in recorders.get(item.unit.pk, ()):
            found.add(user, "unopened", item)
    waiting = list(selectors.all_due_reviews())
    parents = {e.pk: selectors.parent_id(e.unit) for e in waiting}
    reviewers = holders(unit_ids={p for p in parents.values() if p}, perm=Perm.EMULATION_REVIEW)
    for evaluation in waiting:
        for user in reviewers.get(parents[evaluation.pk] or 0, ()):
            found.add(user, "reviews", Item(evaluation, "reviews"))
    return found


def _context(sections: Sections, today: datetime.date) -> dict:
    return {"list_link": settings.SITE_URL.rstrip("/") + reverse("evaluations:home")}


REMINDER_KIND = Kind(
    name="evaluation",
    label=gettext_lazy("Evaluations to assess or review"),
    subject_template="evaluations/email_reminder_subject.txt",
    body_template="evaluations/email_reminder_body.txt",
    sections=("own", "unopened", "reviews"),
    collect=digests,
    context=_context,
)
