"""The report figures read from the quizzes (sources registered with `danvan.reports.sources`).

Counted at the unit of each attempt (the taker's role unit within the quiz's subtree), by the day the
attempt started, ended attempts only (submitted, or whose time ran out):

- "quizzes.attempts": attempts ended in the period → QUIZ_ATTEMPTS;
- "quizzes.takers": people with at least one such attempt → QUIZ_TAKERS;
- "quizzes.questions": questions of those attempts → QUIZ_QUESTIONS_ANSWERED;
- "quizzes.right": questions answered right in them → QUIZ_ANSWERS_RIGHT; the average score in
  per cent is then QUIZ_ANSWERS_RIGHT ÷ QUIZ_QUESTIONS_ANSWERED × 100 (× 10 for a score out of 10);
- "quizzes.people": people holding a role at the unit, granted by the period's end (each counted once,
  at the deepest unit of their roles) → QUIZ_PEOPLE; participation = QUIZ_TAKERS ÷ QUIZ_PEOPLE × 100.
  A role records when it was granted but not when it ended (a withdrawn role is deleted): someone who
  left since is no longer counted in past periods.

A submitted attempt refreshes the prepared periods of its day in the same transaction (`refresh`); an
attempt whose time ran out unsent is counted by the nightly preparation of the periods.
"""

import datetime
from collections import defaultdict
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.accounts import policy
from danvan.accounts.models import RoleAssignment
from danvan.accounts.policy import Perm
from danvan.reports import sources as report_sources

from .models import GRACE_SECONDS, Attempt

ATTEMPTS = "quizzes.attempts"
TAKERS = "quizzes.takers"
QUESTIONS = "quizzes.questions"
RIGHT = "quizzes.right"
PEOPLE = "quizzes.people"
ATTEMPT_KEYS = [ATTEMPTS, TAKERS, QUESTIONS, RIGHT]


def _ended(start: datetime.date, end: datetime.date, unit_ids):
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    last = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))
    cutoff = timezone.now() - datetime.timedelta(seconds=GRACE_SECONDS)
    attempts = Attempt.objects.filter(started_at__gte=first, started_at__lt=last).filter(
        Q(submitted_at__isnull=False) | Q(deadline_at__lt=cutoff)
    )
    if unit_ids is not None:
        attempts = attempts.filter(unit_id__in=unit_ids)
    return attempts


def attempt_figures(start: datetime.date, end: datetime.date, unit_ids) -> dict[int, dict[str, int]]:
    """unit id → {ATTEMPTS, TAKERS, QUESTIONS, RIGHT} for every unit with an ended attempt in [start, end]."""
    rows = (
        _ended(start, end, unit_ids)
        .values("unit_id")
        .annotate(
            attempts=Count("id"),
            takers=Count("user_id", distinct=True),
            questions=Sum("total"),
            right=Sum("right"),
        )
    )
    return {
        row["unit_id"]: {
            ATTEMPTS: row["attempts"],
            TAKERS: row["takers"],
            QUESTIONS: row["questions"] or 0,
            RIGHT: row["right"] or 0,
        }
        for row in rows
    }


def _attempts(key: str):
    def compute(period, unit_ids):
        return {
            unit_id: figures[key]
            for unit_id, figures in attempt_figures(period.start, period.end, unit_ids).items()
        }

    return compute


def people(period, unit_ids) -> dict[int, int]:
    """unit id → people holding a role there, granted by the period's end (each at the deepest unit of
    their roles)."""
    wanted = {role for role, perms in policy.GRANTS.items() if Perm.QUIZ_TAKE in perms}
    deepest: dict[int, tuple[int, int]] = {}
    granted_by = timezone.make_aware(
        datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time())
    )
    rows = RoleAssignment.objects.filter(
        role__in=wanted, user__is_active=True, granted_at__lt=granted_by
    ).values_list("user_id", "unit_id", "unit__path")
    for user_id, unit_id, path in rows:
        kept = deepest.get(user_id)
        if kept is None or len(path) > kept[1]:
            deepest[user_id] = (unit_id, len(path))
    counts: dict[int, int] = defaultdict(int)
    for unit_id, _depth in deepest.values():
        if unit_ids is None or unit_id in unit_ids:
            counts[unit_id] += 1
    return dict(counts)


def _records(unit_id: int, period) -> str:
    """The quizzes in which the unit's people made an attempt."""
    from danvan.orgs.models import Unit

    code = Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or ""
    return reverse("quizzes:quizzes") + ("?" + urlencode({"unit": code}) if code else "")


def register() -> None:
    """Give the reports module the quiz sources (called from the app's ready())."""
    for key, label in (
        (ATTEMPTS, _("Quiz attempts ended (quizzes)")),
        (TAKERS, _("People who took a quiz (quizzes)")),
        (QUESTIONS, _("Quiz questions answered (quizzes)")),
        (RIGHT, _("… of which answered right (quizzes)")),
    ):
        report_sources.register(report_sources.Source(key, label, _attempts(key), records=_records))
    report_sources.register(report_sources.Source(PEOPLE, _("People with a role (quizzes)"), people))


def refresh(unit_ids: set[int], days: set[datetime.date]) -> None:
    """Recompute the attempt figures of these units in the prepared periods containing any of `days`."""
    report_sources.refresh_days(unit_ids, days, keys=ATTEMPT_KEYS)
