"""Reads of the quiz bank: what each person may see and take, the bank a quiz draws from, an attempt's
state, a quiz's results (per person, per unit, participation, per question with its distractors) and
the figures of the report sources. Nothing here writes."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from danvan.accounts import policy
from danvan.accounts.models import RoleAssignment
from danvan.accounts.policy import Perm
from danvan.core.paths import PATH_SEGMENT, path_upper_bound
from danvan.orgs.models import Unit

from .models import GRACE_SECONDS, Attempt, AttemptQuestion, Choice, Question, Quiz


def ancestors_or_self(path: str) -> list[str]:
    """The paths of a unit and every unit above it."""
    return [path[:end] for end in range(PATH_SEGMENT, len(path) + 1, PATH_SEGMENT)]


def _above_or_at(paths: list[str], field_name: str) -> Q:
    """Rows whose unit is one of `paths` or above one of them."""
    wanted = sorted({ancestor for path in paths for ancestor in ancestors_or_self(path)})
    return Q(**{f"{field_name}__in": wanted}) if wanted else Q(pk__in=[])


def _within_or_above(user, perm: Perm, qs: QuerySet, field_name: str = "unit__path") -> QuerySet:
    """`qs` narrowed to rows of units in the user's `perm` scope or above a unit where they hold it."""
    paths = policy.scope_paths(user, perm)
    if paths is None:
        return qs
    if not paths:
        return qs.none()
    below = policy.scope(user, perm, qs, field_name)
    return qs.filter(Q(pk__in=below.values("pk")) | _above_or_at(paths, field_name))


# --------------------------------------------------------------------------- the bank


def bank_visible(user) -> QuerySet[Question]:
    """The questions a manager sees: those of the units they manage and of the units above (whose bank
    their quizzes may draw from)."""
    qs = Question.objects.select_related("unit", "topic")
    return _within_or_above(user, Perm.EMULATION_MANAGE, qs)


def bank_for(unit: Unit) -> QuerySet[Question]:
    """The questions a quiz of `unit` draws from: the active ones of the unit and of the units above."""
    return Question.objects.filter(active=True, unit__path__in=ancestors_or_self(unit.path))


def bank_counts(unit: Unit, topic_ids: list[int] | None = None) -> dict[str, int]:
    """How many questions of each difficulty a quiz of `unit` may draw (from `topic_ids` when given)."""
    qs = bank_for(unit)
    if topic_ids:
        qs = qs.filter(topic_id__in=topic_ids)
    return {row["difficulty"]: row["n"] for row in qs.values("difficulty").annotate(n=Count("id"))}


def choices_of(question_ids) -> dict[int, list[Choice]]:
    found: dict[int, list[Choice]] = defaultdict(list)
    for choice in Choice.objects.filter(question_id__in=list(question_ids)).order_by(
        "question_id", "position"
    ):
        found[choice.question_id].append(choice)
    return found


# --------------------------------------------------------------------------- quizzes


def quizzes_visible(user) -> QuerySet[Quiz]:
    """Quizzes whose results the user may read (EMULATION_VIEW at the quiz's unit)."""
    return policy.scope(user, Perm.EMULATION_VIEW, Quiz.objects.select_related("unit"))


def quizzes_open_to(user) -> QuerySet[Quiz]:
    """Quizzes the user may take: those of a unit where they hold QUIZ_TAKE (or below it), and those of
    the units above such a unit (a unit's quiz is open to the people of its whole subtree)."""
    return _within_or_above(user, Perm.QUIZ_TAKE, Quiz.objects.select_related("unit"))


def may_take(user, quiz: Quiz) -> bool:
    return quizzes_open_to(user).filter(pk=quiz.pk).exists()


def is_open(quiz: Quiz, today: datetime.date) -> bool:
    return quiz.opens_on <= today <= quiz.closes_on


def person_unit(user, quiz: Quiz) -> Unit:
    """The unit an attempt counts for: the deepest unit of the quiz's subtree where the user holds a role
    granting QUIZ_TAKE; the quiz's own unit for someone whose role is above it."""
    wanted = {role for role, perms in policy.GRANTS.items() if Perm.QUIZ_TAKE in perms}
    units = [
        assignment.unit
        for assignment in RoleAssignment.objects.filter(
            user=user,
            role__in=wanted,
            unit__path__gte=quiz.unit.path,
            unit__path__lt=path_upper_bound(quiz.unit.path),
        ).select_related("unit")
    ]
    units.sort(key=lambda unit: (-len(unit.path), unit.path))
    return units[0] if units else quiz.unit


def attempts_of(user, quiz: Quiz) -> list[Attempt]:
    return list(Attempt.objects.filter(quiz=quiz, user=user).order_by("number"))


def closing_time(attempt: Attempt) -> datetime.datetime:
    """The last moment answers are counted: the time limit plus a grace."""
    return attempt.deadline_at + datetime.timedelta(seconds=GRACE_SECONDS)


def is_running(attempt: Attempt, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return attempt.submitted_at is None and now <= closing_time(attempt)


def seconds_left(attempt: Attempt, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    return max(0, int((attempt.deadline_at - now).total_seconds()))


def right_of(attempt: Attempt) -> int:
    """Right answers of an ended attempt (an attempt whose time ran out unsent counts none)."""
    return attempt.right or 0


def score_of(right: int, total: int) -> Decimal:
    """The score out of 10, to two decimals."""
    if not total:
        return Decimal("0")
    return (Decimal(10) * right / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def percent_of(right: int, total: int) -> Decimal:
    if not total:
        return Decimal("0")
    return (Decimal(100) * right / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def items_of(attempt: Attempt) -> list[dict]:
    """The attempt's questions in order, each with its choices in the order shown."""
    items = list(
        AttemptQuestion.objects.filter(attempt=attempt).select_related("question").order_by("position")
    )
    choices = choices_of(item.question_id for item in items)
    result = []
    for item in items:
        by_id = {choice.pk: choice for choice in choices[item.question_id]}
        shown = [by_id[pk] for pk in item.order if pk in by_id]
        result.append(
            {
                "item": item,
                "question": item.question,
                "choices": shown,
                "multiple": sum(1 for choice in shown if choice.correct) > 1,
                "chosen": set(item.chosen),
            }
        )
    return result


# --------------------------------------------------------------------------- results


@dataclass
class PersonRow:
    user_id: int
    name: str
    unit: str
    attempts: int
    right: int
    total: int

    @property
    def score(self) -> Decimal:
        return score_of(self.right, self.total)

    @property
    def percent(self) -> Decimal:
        return percent_of(self.right, self.total)


@dataclass
class UnitRow:
    unit_id: int
    name: str
    path: str
    people: int = 0
    took: int = 0
    scores: list[Decimal] = field(default_factory=list)

    @property
    def average(self) -> Decimal | None:
        if not self.scores:
            return None
        return (sum(self.scores, Decimal(0)) / len(self.scores)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def participation(self) -> Decimal | None:
        return percent_of(self.took, self.people) if self.people else None


@dataclass
class ChoiceStat:
    choice: Choice
    picked: int


@dataclass
class QuestionStat:
    question: Question
    asked: int
    right: int
    choices: list[ChoiceStat]

    @property
    def share(self) -> Decimal:
        return percent_of(self.right, self.asked)


@dataclass
class Results:
    people: list[PersonRow]
    units: list[UnitRow]
    questions: list[QuestionStat]
    eligible: int
    took: int

    @property
    def participation(self) -> Decimal | None:
        return percent_of(self.took, self.eligible) if self.eligible else None

    @property
    def average(self) -> Decimal | None:
        if not self.people:
            return None
        total = sum((row.score for row in self.people), Decimal(0))
        return (total / len(self.people)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _ended(attempts: QuerySet[Attempt], now: datetime.datetime) -> QuerySet[Attempt]:
    """Attempts that are over: submitted, or their time (with the grace) is past."""
    cutoff = now - datetime.timedelta(seconds=GRACE_SECONDS)
    return attempts.filter(Q(submitted_at__isnull=False) | Q(deadline_at__lt=cutoff))


def eligible_people(unit: Unit) -> dict[int, int]:
    """user id → unit id: the people with a role (every role may take a quiz) in `unit`'s subtree, each
    counted at the deepest unit of their roles there."""
    wanted = {role for role, perms in policy.GRANTS.items() if Perm.QUIZ_TAKE in perms}
    found: dict[int, tuple[int, int]] = {}
    rows = RoleAssignment.objects.filter(
        role__in=wanted,
        user__is_active=True,
        unit__path__gte=unit.path,
        unit__path__lt=path_upper_bound(unit.path),
    ).values_list("user_id", "unit_id", "unit__path")
    for user_id, unit_id, path in rows:
        kept = found.get(user_id)
        if kept is None or len(path) > kept[1]:
            found[user_id] = (unit_id, len(path))
    return {user_id: unit_id for user_id, (unit_id, _depth) in found.items()}


def results(quiz: Quiz, now: datetime.datetime | None = None) -> Results:
    """A quiz's results: each person's best ended attempt, each unit's participation and average score,
    each question's share of right answers (hardest first) and how often each wrong choice was picked."""
    now = now or timezone.now()
    attempts = list(
        _ended(Attempt.objects.filter(quiz=quiz), now)
        .select_related("user", "unit")
        .order_by("user_id", "number")
    )
    best: dict[int, Attempt] = {}
    counts: dict[int, int] = defaultdict(int)
    for attempt in attempts:
        counts[attempt.user_id] += 1
        kept = best.get(attempt.user_id)
        if kept is None or (right_of(attempt), -attempt.number) > (right_of(kept), -kept.number):
            best[attempt.user_id] = attempt
    people = sorted(
        (
            PersonRow(
                user_id=attempt.user_id,
                name=attempt.user.get_full_name() or attempt.user.get_username(),
                unit=attempt.unit.name,
                attempts=counts[attempt.user_id],
                right=right_of(attempt),
                total=attempt.total,
            )
            for attempt in best.values()
        ),
        key=lambda row: (-row.score, row.name),
    )
    eligible = eligible_people(quiz.unit)
    units: dict[int, UnitRow] = {}
    unit_ids = set(eligible.values()) | {attempt.unit_id for attempt in best.values()}
    for unit in Unit.objects.filter(pk__in=unit_ids):
        units[unit.pk] = UnitRow(unit_id=unit.pk, name=unit.name, path=unit.path)
    for unit_id in eligible.values():
        units[unit_id].people += 1
    for attempt in best.values():
        row = units[attempt.unit_id]
        row.took += 1
        row.scores.append(score_of(right_of(attempt), attempt.total))
    took = len(best)
    return Results(
        people=people,
        units=sorted(units.values(), key=lambda row: row.path),
        questions=question_stats(quiz, now),
        eligible=len(set(eligible) | set(best)),
        took=took,
    )


def question_stats(quiz: Quiz, now: datetime.datetime) -> list[QuestionStat]:
    """Each question asked in the quiz's ended attempts: how many times, how often right, and for each
    choice how often it was picked; the hardest (lowest share right) first."""
    ended = _ended(Attempt.objects.filter(quiz=quiz), now)
    items = AttemptQuestion.objects.filter(attempt__in=ended).select_related("question__topic")
    asked: dict[int, int] = defaultdict(int)
    right: dict[int, int] = defaultdict(int)
    picked: dict[int, int] = defaultdict(int)
    questions: dict[int, Question] = {}
    for item in items:
        questions[item.question_id] = item.question
        asked[item.question_id] += 1
        right[item.question_id] += int(item.correct)
        for pk in item.chosen:
            picked[pk] += 1
    choices = choices_of(questions)
    stats = [
        QuestionStat(
            question=question,
            asked=asked[pk],
            right=right[pk],
            choices=[ChoiceStat(choice=choice, picked=picked[choice.pk]) for choice in choices[pk]],
        )
        for pk, question in questions.items()
    ]
    stats.sort(key=lambda stat: (stat.share, -stat.asked, stat.question.pk))
    return stats


# --------------------------------------------------------------------------- work home, reminders, figures


def waiting_for(user, today: datetime.date) -> list[Quiz]:
    """Open quizzes the user may take and has not taken yet (no attempt at all), closing first."""
    taken = Attempt.objects.filter(user=user).values("quiz_id")
    qs = quizzes_open_to(user).filter(opens_on__lte=today, closes_on__gte=today).exclude(pk__in=taken)
    return list(qs.order_by("closes_on", "id"))


def closing_soon(today: datetime.date, days: int = 3) -> list[Quiz]:
    """Open quizzes closing within `days` days (today included)."""
    end = today + datetime.timedelta(days=days)
    return list(
        Quiz.objects.filter(opens_on__lte=today, closes_on__gte=today, closes_on__lte=end)
        .select_related("unit")
        .order_by("closes_on", "id")
    )


def taken_within(qs: QuerySet[Quiz], unit: Unit) -> QuerySet[Quiz]:
    """The quizzes of `qs` in which someone of `unit`'s subtree made an attempt (what its figures count)."""
    attempts = Attempt.objects.filter(unit__path__gte=unit.path, unit__path__lt=path_upper_bound(unit.path))
    return qs.filter(pk__in=attempts.values("quiz_id"))


def taken_by(quiz: Quiz) -> set[int]:
    return set(Attempt.objects.filter(quiz=quiz).values_list("user_id", flat=True))


def attempts_in(unit_ids, start: datetime.date, end: datetime.date) -> QuerySet[Attempt]:
    """Attempts started within [start, end] and counted at one of `unit_ids`."""
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    last = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))
    return Attempt.objects.filter(unit_id__in=list(unit_ids), started_at__gte=first, started_at__lt=last)


def year_figures(user, year: int) -> dict:
    """The overview card's figures for a year over the quizzes the user may see."""
    quizzes = quizzes_visible(user).filter(opens_on__year=year)
    attempts = Attempt.objects.filter(quiz__in=quizzes)
    now = timezone.now()
    ended = list(_ended(attempts, now).values_list("right", "total"))
    scores = [score_of(right or 0, total) for right, total in ended]
    average = (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01")) if scores else None
    return {
        "quizzes": quizzes.count(),
        "people": attempts.values("user_id").distinct().count(),
        "attempts": len(ended),
        "average": average,
        "questions": Question.objects.filter(active=True)
        .filter(pk__in=policy.scope(user, Perm.EMULATION_VIEW, Question.objects.all()).values("pk"))
        .count(),
    }


def people_counts(quiz_ids: list[int]) -> dict[int, int]:
    """quiz id → how many people started an attempt."""
    rows = (
        Attempt.objects.filter(quiz_id__in=quiz_ids)
        .values("quiz_id")
        .annotate(n=Count("user_id", distinct=True))
    )
    return {row["quiz_id"]: row["n"] for row in rows}
