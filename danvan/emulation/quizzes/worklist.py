"""The work home's line for quizzes: the open quizzes I may take and have not taken yet, by closing date."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core import worklist

from . import selectors


def collect(user, today: datetime.date, limit: int) -> worklist.Found:
    if not policy.has_any(user, Perm.QUIZ_TAKE):
        return worklist.Found([], 0)
    items = [
        worklist.WorkItem(
            title=quiz.title,
            unit=quiz.unit.name,
            due=quiz.closes_on,
            url=reverse("quizzes:quiz", kwargs={"pk": quiz.pk}),
            kind=_("Quiz to take"),
        )
        for quiz in selectors.waiting_for(user, today)
    ]
    return worklist.found(items, limit)


def register() -> None:
    worklist.register(
        key="quizzes",
        label=gettext_lazy("Quizzes to take"),
        order=462,
        collect=collect,
        nav="quizzes:home",
        more_url="quizzes:home",
    )
