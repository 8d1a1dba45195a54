"""The demo loader of the quiz bank on the test tree: 30+ valid questions, an open quiz with attempts."""

import pytest

from conftest import make_user
from danvan.emulation.quizzes import selectors
from danvan.emulation.quizzes.models import Attempt, Question, Quiz

pytestmark = pytest.mark.django_db


def test_the_demo_bank_holds_valid_questions_and_an_open_quiz_with_attempts(tree):
    from danvan.demo import quizzes

    for username in ("bithu.stp", "baocao.stp", "theodoi.syt"):
        make_user(username, unit=tree.stp, role="viewer")
    written = quizzes.load()
    assert written == Question.objects.filter(unit=tree.root).count() >= 30
    for question in Question.objects.prefetch_related("choices"):
        choices = list(question.choices.all())
        assert len(choices) >= 2 and any(choice.correct for choice in choices), question.text
    year = Quiz.objects.get(title__startswith="Thi tìm hiểu")
    assert Attempt.objects.filter(quiz=year).count() == 3
    found = selectors.results(year)
    assert found.took == 3 and found.questions
    assert quizzes.load() == 0  # idempotent
