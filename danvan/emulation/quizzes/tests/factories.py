"""Test records of the quiz bank, made directly (the services are tested on their own)."""

import datetime

from django.utils import timezone

from danvan.emulation.quizzes.models import (
    Attempt,
    AttemptQuestion,
    Choice,
    Difficulty,
    Question,
    Quiz,
    Topic,
)


def question(
    unit, *, text=None, topic="Dân vận", difficulty=Difficulty.EASY, right=(1,), choices=3, source=""
):
    topic_row, _created = Topic.objects.get_or_create(name=topic)
    made = Question.objects.create(
        unit=unit,
        text=text or f"Câu hỏi thử của {unit.code} số {Question.objects.count() + 1}?",
        topic=topic_row,
        difficulty=difficulty,
        source=source,
        explanation="Giải thích thử",
    )
    for position in range(1, choices + 1):
        Choice.objects.create(
            question=made,
            position=position,
            text=f"Phương án {position} ({made.pk})",
            correct=position in right,
        )
    return made


def quiz(unit, *, title=None, easy=1, medium=0, hard=0, minutes=10, attempts=1, days=(-1, 7), shuffle=False):
    today = timezone.localdate()
    return Quiz.objects.create(
        unit=unit,
        title=title or f"Thi thử {unit.code}",
        easy_count=easy,
        medium_count=medium,
        hard_count=hard,
        minutes=minutes,
        opens_on=today + datetime.timedelta(days=days[0]),
        closes_on=today + datetime.timedelta(days=days[1]),
        attempts_allowed=attempts,
        shuffle_choices=shuffle,
    )


def attempt(quiz_, user, *, unit=None, questions=(), right=None, submitted=True, minutes_ago=5):
    started = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    made = Attempt.objects.create(
        quiz=quiz_,
        user=user,
        unit=unit or quiz_.unit,
        number=Attempt.objects.filter(quiz=quiz_, user=user).count() + 1,
        started_at=started,
        deadline_at=started + datetime.timedelta(minutes=quiz_.minutes),
        submitted_at=started + datetime.timedelta(minutes=1) if submitted else None,
        total=len(questions),
        right=right,
    )
    for position, asked in enumerate(questions, start=1):
        AttemptQuestion.objects.create(
            attempt=made,
            question=asked,
            position=position,
            order=list(asked.choices.order_by("position").values_list("pk", flat=True)),
        )
    return made
