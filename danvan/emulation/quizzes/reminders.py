"""The daily reminder of quizzes closing soon: each person who may take an open quiz closing within
`DAYS` days (today included) and has not started it gets one line per quiz. Recipients are the
active users with an e-mail address holding a role (every role may take a quiz) within the quiz's
subtree — not those above it, who are not its people. `danvan.reminders` sends it, each quiz once a
day to each person."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy

from danvan.accounts.policy import Perm
from danvan.accounts.selectors import holders
from danvan.core.paths import path_upper_bound
from danvan.orgs.models import Unit
from danvan.reminders.kinds import Digests, Kind, Sections

from . import selectors
from .models import Quiz

DAYS = 3


@dataclass(frozen=True)
class ClosingQuiz:
    quiz: Quiz

    @property
    def key(self) -> str:
        return str(self.quiz.pk)

    @property
    def unit(self):
        return self.quiz.unit


def digests(today: datetime.date) -> Digests:
    found = Digests()
    for quiz in selectors.closing_soon(today, DAYS):
        unit_ids = list(
            Unit.objects.filter(
                path__gte=quiz.unit.path, path__lt=path_upper_bound(quiz.unit.path)
            ).values_list("pk", flat=True)
        )
        taken = selectors.taken_by(quiz)
        people = holders(unit_ids=unit_ids, perm=Perm.QUIZ_TAKE)
        for users in people.values():
            for user in users:
                if user.pk not in taken:
                    found.add(user, "closing", ClosingQuiz(quiz))
    return found


def _context(sections: Sections, today: datetime.date) -> dict:
    return {"link": settings.SITE_URL.rstrip("/") + reverse("quizzes:home")}


REMINDER_KIND = Kind(
    name="quiz",
    label=gettext_lazy("Quizzes closing soon"),
    subject_template="quizzes/email_subject.txt",
    body_template="quizzes/email_body.txt",
    sections=("closing",),
    collect=digests,
    context=_context,
)
