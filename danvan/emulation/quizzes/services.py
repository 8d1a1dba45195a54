"""Writes of the quiz bank: questions (one by one or imported), quizzes, attempts and their answers.

Every function checks the policy for `by` first (EMULATION_MANAGE at the unit for the bank and the
quizzes; for an attempt, that the quiz is open to `by`), then every rule, raising ValidationError with
a Vietnamese message before anything is saved, all in one transaction:

- a question has its text, a topic, a difficulty, at least two choices and at least one right one;
- an import saves every question or none (errors per row, `row` in the message);
- a quiz draws at least one question, never more of a difficulty than the bank holds, closes on or
  after it opens, allows at least one attempt; once someone has started an attempt, what it draws
  (topics, counts) no longer changes; closing it ends it yesterday, its attempts kept;
- an attempt starts within the quiz's dates, while its taker has attempts left and none running; its
  questions are drawn then and stored; answers sent after the time limit plus a grace are not counted.
"""

import datetime
import random
from dataclasses import dataclass, field
from typing import ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, System, recorded_user
from danvan.accounts.policy import Perm
from danvan.core.text import check_text, clean_text
from danvan.orgs.models import Unit

from . import selectors, sources
from .models import Attempt, AttemptQuestion, Choice, Difficulty, Question, Quiz, Topic

TEXT_MAX = 4000
CHOICE_MAX = 1000
LINE_MAX = 300
MAX_CHOICES = 10
MAX_QUESTIONS = 200  # drawn by one quiz
MAX_MINUTES = 600
MAX_ATTEMPTS = 20


@dataclass
class ChoiceSpec:
    text: str
    correct: bool = False


@dataclass
class QuestionSpec:
    text: str
    topic: str
    difficulty: str
    choices: list[ChoiceSpec] = field(default_factory=list)
    source: str = ""
    explanation: str = ""
    row: int | None = None  # where an imported question was read (a row of a table, a line of a document)


@dataclass
class QuizSpec:
    unit: Unit
    title: str
    opens_on: datetime.date
    closes_on: datetime.date
    minutes: int
    easy_count: int = 0
    medium_count: int = 0
    hard_count: int = 0
    topics: list[Topic] = field(default_factory=list)
    attempts_allowed: int = 1
    shuffle_choices: bool = True

    # The quiz's own settings, as named on the Quiz and in its forms (the unit and topics aside).
    SETTINGS: ClassVar[tuple[str, ...]] = (
        "title",
        "opens_on",
        "closes_on",
        "minutes",
        "easy_count",
        "medium_count",
        "hard_count",
        "attempts_allowed",
        "shuffle_choices",
    )

    @classmethod
    def of(cls, data: dict, *, unit: Unit) -> "QuizSpec":
        """The spec of a quiz form's cleaned data, for `unit`."""
        return cls(unit=unit, topics=list(data["topics"]), **{name: data[name] for name in cls.SETTINGS})


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _check_unit(unit: object, errors: dict) -> None:
    if not isinstance(unit, Unit) or unit.pk is None:
        errors["unit"] = _("Choose the unit.")
    elif not unit.is_active:
        errors["unit"] = _("Unit %(code)s has ended: choose a unit that exists today.") % {"code": unit.code}


# --------------------------------------------------------------------------- questions


def _checked_question(spec: QuestionSpec, errors: dict, prefix: str = "") -> QuestionSpec:
    """The spec with its text cleaned; every problem under `prefix + field`."""
    text = clean_text(
        spec.text, prefix + "text", errors, limit=TEXT_MAX, required=_("Write the question."), multiline=True
    )
    topic = clean_text(
        spec.topic, prefix + "topic", errors, limit=200, required=_("Name the topic of the question.")
    )
    if spec.difficulty not in Difficulty.values:
        errors[prefix + "difficulty"] = _("Choose the difficulty: easy, medium or hard.")
    source = clean_text(spec.source, prefix + "source", errors, limit=LINE_MAX)
    explanation = clean_text(spec.explanation, prefix + "explanation", errors, limit=TEXT_MAX, multiline=True)
    choices = []
    for choice in spec.choices:
        try:
            choice_text = check_text(choice.text, limit=CHOICE_MAX, multiline=True)
        except ValidationError as error:
            errors[prefix + "choices"] = error.messages[0]
            continue
        if choice_text:
            choices.append(ChoiceSpec(text=choice_text, correct=bool(choice.correct)))
    if prefix + "choices" not in errors:
        if len(choices) < 2:
            errors[prefix + "choices"] = _("A question needs at least two choices.")
        elif len(choices) > MAX_CHOICES:
            errors[prefix + "choices"] = _("A question has at most %(count)s choices.") % {
                "count": MAX_CHOICES
            }
        elif not any(choice.correct for choice in choices):
            errors[prefix + "choices"] = _("Mark at least one choice as the right answer.")
        elif len({choice.text.casefold() for choice in choices}) < len(choices):
            errors[prefix + "choices"] = _("Two choices have the same text.")
    return QuestionSpec(
        text=text,
        topic=topic,
        difficulty=spec.difficulty,
        choices=choices,
        source=source,
        explanation=explanation,
        row=spec.row,
    )


def _topic(name: str) -> Topic:
    found = Topic.objects.filter(name__iexact=name).first()
    return found or Topic.objects.create(name=name)


def _save_question(unit: Unit, spec: QuestionSpec, by: Actor) -> Question:
    question = Question.objects.create(
        unit=unit,
        text=spec.text,
        topic=_topic(spec.topic),
        difficulty=spec.difficulty,
        source=spec.source,
        explanation=spec.explanation,
        created_by=recorded_user(by),
    )
    for position, choice in enumerate(spec.choices, start=1):
        Choice.objects.create(question=question, position=position, text=choice.text, correct=choice.correct)
    return question


def question_create(*, unit: Unit, spec: QuestionSpec, by: Actor) -> Question:
    """Add a question with its choices to `unit`'s bank."""
    errors: dict = {}
    _check_unit(unit, errors)
    _raise(errors)
    policy.require(by, Perm.EMULATION_MANAGE, unit)
    checked = _checked_question(spec, errors)
    _raise(errors)
    with transaction.atomic():
        return _save_question(unit, checked, by)


def question_update(*, question: Question, spec: QuestionSpec, by: Actor) -> Question:
    """Change a question and its choices (matched by position). A choice already shown in an attempt
    cannot be removed: the attempt's answer points at it."""
    policy.require(by, Perm.EMULATION_MANAGE, question.unit)
    errors: dict = {}
    checked = _checked_question(spec, errors)
    _raise(errors)
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        existing = list(question.choices.order_by("position"))
        if len(existing) > len(checked.choices):
            used = AttemptQuestion.objects.filter(question=question).exists()
            if used:
                raise ValidationError(
                    {
                        "choices": _(
                            "The question was already asked in a quiz: its choices can be changed, not removed."
                        )
                    }
                )
        question.text = checked.text
        question.topic = _topic(checked.topic)
        question.difficulty = checked.difficulty
        question.source = checked.source
        question.explanation = checked.explanation
        question.save()
        for position, choice in enumerate(checked.choices, start=1):
            row = existing[position - 1] if position <= len(existing) else None
            if row is None:
                Choice.objects.create(
                    question=question, position=position, text=choice.text, correct=choice.correct
                )
            elif (row.text, row.correct) != (choice.text, choice.correct):
                row.text, row.correct = choice.text, choice.correct
                row.save()
        for row in existing[len(checked.choices) :]:
            row.delete()
        return question


def question_set_active(*, question: Question, active: bool, by: Actor) -> Question:
    """Take a question out of use (quizzes no longer draw it; past attempts keep it) or back in."""
    policy.require(by, Perm.EMULATION_MANAGE, question.unit)
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.active != active:
            question.active = active
            question.save()
        return question


def questions_import(*, unit: Unit, specs: list[QuestionSpec], by: Actor) -> int:
    """Add every question of an import to `unit`'s bank, or none: each question is checked first and
    the errors name its row. Returns how many were added."""
    errors: dict = {}
    _check_unit(unit, errors)
    _raise(errors)
    policy.require(by, Perm.EMULATION_MANAGE, unit)
    if not specs:
        raise ValidationError(_("The file holds no question."))
    checked = []
    problems = []
    for index, spec in enumerate(specs, start=1):
        found: dict = {}
        checked.append(_checked_question(spec, found))
        where = spec.row if spec.row is not None else index
        for message in found.values():
            problems.append(_("Question at row %(row)s: %(message)s") % {"row": where, "message": message})
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        for spec in checked:
            _save_question(unit, spec, by)
    return len(checked)


# --------------------------------------------------------------------------- quizzes


def _check_count(value: object, name: str, errors: dict, *, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        errors[name] = _("Type a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        return 0
    return value


def _checked_quiz(spec: QuizSpec, errors: dict, *, draws: bool = True) -> dict:
    """The quiz's fields from `spec`, checked (every problem in `errors`); with `draws`, the counts
    are also checked against the bank."""
    title = clean_text(spec.title, "title", errors, limit=LINE_MAX, required=_("Give the quiz a title."))
    counts = {
        Difficulty.EASY: _check_count(spec.easy_count, "easy_count", errors, low=0, high=MAX_QUESTIONS),
        Difficulty.MEDIUM: _check_count(spec.medium_count, "medium_count", errors, low=0, high=MAX_QUESTIONS),
        Difficulty.HARD: _check_count(spec.hard_count, "hard_count", errors, low=0, high=MAX_QUESTIONS),
    }
    minutes = _check_count(spec.minutes, "minutes", errors, low=1, high=MAX_MINUTES)
    attempts = _check_count(spec.attempts_allowed, "attempts_allowed", errors, low=1, high=MAX_ATTEMPTS)
    if not isinstance(spec.opens_on, datetime.date) or not isinstance(spec.closes_on, datetime.date):
        errors["opens_on"] = _("Type the date as dd/mm/yyyy, e.g. 05/03/2026.")
    elif spec.closes_on < spec.opens_on:
        errors["closes_on"] = _("The quiz closes before it opens.")
    if draws and not any(key in errors for key in ("easy_count", "medium_count", "hard_count")):
        if sum(counts.values()) == 0:
            errors["easy_count"] = _("Draw at least one question.")
        elif sum(counts.values()) > MAX_QUESTIONS:
            errors["easy_count"] = _("A quiz draws at most %(count)s questions.") % {"count": MAX_QUESTIONS}
        else:
            held = selectors.bank_counts(spec.unit, [topic.pk for topic in spec.topics])
            for difficulty, wanted in counts.items():
                if wanted > held.get(difficulty, 0):
                    errors[f"{difficulty}_count"] = _(
                        "The bank holds only %(held)s questions of this difficulty for the topics chosen; "
                        "the quiz asks for %(wanted)s."
                    ) % {"held": held.get(difficulty, 0), "wanted": wanted}
    return {
        "title": title,
        "easy_count": counts[Difficulty.EASY],
        "medium_count": counts[Difficulty.MEDIUM],
        "hard_count": counts[Difficulty.HARD],
        "minutes": minutes,
        "opens_on": spec.opens_on,
        "closes_on": spec.closes_on,
        "attempts_allowed": attempts,
        "shuffle_choices": bool(spec.shuffle_choices),
    }


def quiz_create(*, spec: QuizSpec, by: Actor) -> Quiz:
    """Open a quiz of `spec.unit` to the people of its subtree, drawing from the bank of the unit and
    the units above it. Refused when the bank holds too few questions of a difficulty."""
    errors: dict = {}
    _check_unit(spec.unit, errors)
    _raise(errors)
    policy.require(by, Perm.EMULATION_MANAGE, spec.unit)
    fields = _checked_quiz(spec, errors)
    _raise(errors)
    with transaction.atomic():
        quiz = Quiz.objects.create(unit=spec.unit, created_by=recorded_user(by), **fields)
        if spec.topics:
            quiz.topics.set(spec.topics)
        return quiz


DRAW_FIELDS = ("easy_count", "medium_count", "hard_count")


@transaction.atomic
def quiz_update(*, quiz: Quiz, spec: QuizSpec, by: Actor) -> Quiz:
    """Change a quiz: its title, dates, time limit, attempts allowed, the shuffling of choices and, until
    someone has started an attempt, what it draws (topics and counts per difficulty). Once attempts exist
    a change of what it draws is refused: every taker must be asked the same kind of quiz. The unit stays
    (`spec.unit` must be the quiz's). A time limit changed later applies to the attempts started after it."""
    policy.require(by, Perm.EMULATION_MANAGE, quiz.unit)
    quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
    errors: dict = {}
    if spec.unit != quiz.unit:
        errors["unit"] = _("A quiz stays with the unit that set it.")
    started = Attempt.objects.filter(quiz=quiz).exists()
    topics = {topic.pk for topic in spec.topics}
    draws_change = topics != set(quiz.topics.values_list("pk", flat=True)) or any(
        getattr(spec, name) != getattr(quiz, name) for name in DRAW_FIELDS
    )
    fields = _checked_quiz(spec, errors, draws=draws_change)
    if started and draws_change:
        errors["topics"] = _(
            "People have already taken this quiz: its topics and numbers of questions can no longer change. "
            "Set a new quiz instead."
        )
    _raise(errors)
    for name, value in fields.items():
        setattr(quiz, name, value)
    quiz.save()
    if draws_change:
        quiz.topics.set(spec.topics)
    return quiz


@transaction.atomic
def quiz_close(*, quiz: Quiz, by: Actor, today: datetime.date | None = None) -> Quiz:
    """Close an open quiz now: it closed yesterday, so nobody may start an attempt from today on. Attempts
    already made and their results stay; one running may still be submitted within its time limit. A quiz
    not open yet, or opened only today, is not closed this way (its dates would then say it was open on days
    it never was): change its dates instead."""
    policy.require(by, Perm.EMULATION_MANAGE, quiz.unit)
    quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
    today = today or timezone.localdate()
    if quiz.closes_on < today:
        raise ValidationError(_("The quiz is already closed."))
    if quiz.opens_on >= today:
        raise ValidationError(
            _("The quiz opens on %(day)s: change its dates instead of closing it.")
            % {"day": quiz.opens_on.strftime("%d/%m/%Y")}
        )
    quiz.closes_on = today - datetime.timedelta(days=1)
    quiz.save(update_fields=["closes_on"])
    return quiz


# --------------------------------------------------------------------------- attempts


def _draw(quiz: Quiz, rng: random.Random) -> list[Question]:
    bank = selectors.bank_for(quiz.unit)
    topic_ids = list(quiz.topics.values_list("pk", flat=True))
    if topic_ids:
        bank = bank.filter(topic_id__in=topic_ids)
    drawn: list[Question] = []
    for difficulty, wanted in (
        (Difficulty.EASY, quiz.easy_count),
        (Difficulty.MEDIUM, quiz.medium_count),
        (Difficulty.HARD, quiz.hard_count),
    ):
        if not wanted:
            continue
        ids = list(bank.filter(difficulty=difficulty).values_list("pk", flat=True))
        if len(ids) < wanted:
            raise ValidationError(
                _("The bank no longer holds enough questions for this quiz; tell the unit that set it.")
            )
        drawn.extend(Question.objects.filter(pk__in=rng.sample(ids, wanted)).order_by("pk"))
    return drawn


def attempt_start(*, quiz: Quiz, by: Actor, now: datetime.datetime | None = None) -> Attempt:
    """Start an attempt of `quiz` for `by`: its questions are drawn now and stored with the order of
    their choices. Refused outside the quiz's dates, with no attempt left, or while one is running."""
    if isinstance(by, System) or not selectors.may_take(by, quiz):
        raise PermissionDenied
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        # One start at a time per quiz, on the quiz as it stands once locked (a close or change that
        # committed while this start waited is what counts).
        quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
        if today < quiz.opens_on:
            raise ValidationError(_("The quiz is not open yet."))
        if today > quiz.closes_on:
            raise ValidationError(_("The quiz has closed."))
        attempts = selectors.attempts_of(by, quiz)
        if any(selectors.is_running(attempt, now) for attempt in attempts):
            raise ValidationError(_("You have an attempt running: finish it first."))
        if len(attempts) >= quiz.attempts_allowed:
            raise ValidationError(
                _("You have used all %(count)s attempts this quiz allows.") % {"count": quiz.attempts_allowed}
            )
        rng = random.SystemRandom()
        questions = _draw(quiz, rng)
        rng.shuffle(questions)
        attempt = Attempt.objects.create(
            quiz=quiz,
            user=by,
            unit=selectors.person_unit(by, quiz),
            number=len(attempts) + 1,
            started_at=now,
            deadline_at=now + datetime.timedelta(minutes=quiz.minutes),
            total=len(questions),
        )
        choices = selectors.choices_of(question.pk for question in questions)
        AttemptQuestion.objects.bulk_create(
            AttemptQuestion(
                attempt=attempt,
                question=question,
                position=position,
                order=_order([choice.pk for choice in choices[question.pk]], quiz.shuffle_choices, rng),
            )
            for position, question in enumerate(questions, start=1)
        )
        return attempt


def _order(ids: list[int], shuffle: bool, rng: random.Random) -> list[int]:
    if shuffle:
        ids = list(ids)
        rng.shuffle(ids)
    return ids


def attempt_submit(
    *, attempt: Attempt, answers: dict[int, list[int]], by: Actor, now: datetime.datetime | None = None
) -> Attempt:
    """End `attempt` with `answers` (question id → the choice ids chosen) and score it. Sent after the
    time limit plus the grace, the answers are not counted (the attempt ends with what it held)."""
    if isinstance(by, System) or attempt.user_id != by.pk:
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.submitted_at is not None:
            raise ValidationError(_("This attempt was already submitted."))
        late = now > selectors.closing_time(attempt)
        items = list(AttemptQuestion.objects.filter(attempt=attempt))
        right_ids = {
            question_id: {choice.pk for choice in choices if choice.correct}
            for question_id, choices in selectors.choices_of(item.question_id for item in items).items()
        }
        right = 0
        for item in items:
            if not late:
                shown = set(item.order)
                item.chosen = sorted({pk for pk in answers.get(item.question_id, []) if pk in shown})
            item.correct = bool(item.chosen) and set(item.chosen) == right_ids.get(item.question_id, set())
            right += int(item.correct)
        AttemptQuestion.objects.bulk_update(items, ["chosen", "correct"])
        attempt.submitted_at = now
        attempt.late = late
        attempt.right = right
        attempt.save()
        sources.refresh({attempt.unit_id}, {timezone.localdate(attempt.started_at)})
        return attempt
