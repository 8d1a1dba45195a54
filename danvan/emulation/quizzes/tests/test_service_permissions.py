"""Each service of the quiz bank checks its own permission: someone of another unit is refused and
nothing is written."""

import pytest
from django.core.exceptions import PermissionDenied

from danvan.emulation.quizzes import services
from danvan.emulation.quizzes.models import Attempt, Question, Quiz

from . import factories

pytestmark = pytest.mark.django_db


def _spec():
    return services.QuestionSpec(
        text="Câu hỏi?",
        topic="Dân vận",
        difficulty="easy",
        choices=[services.ChoiceSpec("Đúng", True), services.ChoiceSpec("Sai")],
    )


def test_the_bank_services_refuse_a_manager_of_another_unit(tree, personas):
    outsider = personas["outsider"]  # a mobilisation officer of SYT
    existing = factories.question(tree.stp)
    before = Question.objects.count()
    with pytest.raises(PermissionDenied):
        services.question_create(unit=tree.stp, spec=_spec(), by=outsider)
    with pytest.raises(PermissionDenied):
        services.questions_import(unit=tree.stp, specs=[_spec()], by=outsider)
    with pytest.raises(PermissionDenied):
        services.question_update(question=existing, spec=_spec(), by=outsider)
    with pytest.raises(PermissionDenied):
        services.question_set_active(question=existing, active=False, by=outsider)
    # A unit head takes quizzes but does not keep the bank.
    with pytest.raises(PermissionDenied):
        services.question_create(unit=tree.stp, spec=_spec(), by=personas["unit_head"])
    assert Question.objects.count() == before
    existing.refresh_from_db()
    assert existing.active and existing.text != "Câu hỏi?"


def test_a_quiz_is_set_only_by_a_manager_of_its_unit(tree, personas):
    factories.question(tree.stp)
    spec = services.QuizSpec(
        unit=tree.stp,
        title="Thi",
        opens_on=factories.timezone.localdate(),
        closes_on=factories.timezone.localdate(),
        minutes=10,
        easy_count=1,
    )
    for refused in (personas["outsider"], personas["reporter"]):
        with pytest.raises(PermissionDenied):
            services.quiz_create(spec=spec, by=refused)
    assert not Quiz.objects.exists()


def test_attempts_are_for_the_quiz_s_people_and_their_own(tree, personas):
    factories.question(tree.stp)
    quiz = factories.quiz(tree.stp)
    with pytest.raises(PermissionDenied):
        services.attempt_start(quiz=quiz, by=personas["outsider"])
    assert not Attempt.objects.exists()
    mine = services.attempt_start(quiz=quiz, by=personas["viewer"])
    with pytest.raises(PermissionDenied):
        services.attempt_submit(attempt=mine, answers={}, by=personas["reporter"])
    mine.refresh_from_db()
    assert mine.submitted_at is None
