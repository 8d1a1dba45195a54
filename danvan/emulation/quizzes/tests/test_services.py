"""The quiz bank's rules: questions, quizzes drawn from the bank, attempts timed on the server, scoring."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from danvan.emulation.quizzes import selectors, services
from danvan.emulation.quizzes.models import Attempt, AttemptQuestion, Choice, Question, Quiz

from . import factories

pytestmark = pytest.mark.django_db


def spec(**changes):
    values = {
        "text": "Luật Thực hiện dân chủ ở cơ sở có số hiệu nào?",
        "topic": "Dân chủ ở cơ sở",
        "difficulty": "easy",
        "choices": [services.ChoiceSpec("10/2022/QH15", True), services.ChoiceSpec("35/2013/QH13")],
        "source": "Luật số 10/2022/QH15",
    }
    values.update(changes)
    return services.QuestionSpec(**values)


def test_a_question_is_saved_with_its_choices_and_topic(tree, personas):
    question = services.question_create(unit=tree.stp, spec=spec(), by=personas["mobilisation_officer"])
    assert question.topic.name == "Dân chủ ở cơ sở"
    assert [(c.letter, c.correct) for c in question.choices.order_by("position")] == [
        ("A", True),
        ("B", False),
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"choices": [services.ChoiceSpec("A"), services.ChoiceSpec("B")]},
            "Đánh dấu ít nhất một phương án đúng.",
        ),
        ({"choices": [services.ChoiceSpec("A", True)]}, "Câu hỏi cần ít nhất hai phương án."),
        ({"text": "  "}, "Nhập nội dung câu hỏi."),
        ({"difficulty": "x"}, "Chọn mức độ: dễ, trung bình hoặc khó."),
    ],
)
def test_a_wrong_question_is_refused_in_vietnamese_and_nothing_saved(tree, personas, changes, message):
    with pytest.raises(ValidationError) as refused:
        services.question_create(unit=tree.stp, spec=spec(**changes), by=personas["mobilisation_officer"])
    assert message in refused.value.messages
    assert not Question.objects.exists() and not Choice.objects.exists()


def test_an_import_with_one_bad_question_saves_nothing(tree, personas):
    good = spec(row=2)
    bad = spec(row=3, choices=[services.ChoiceSpec("A"), services.ChoiceSpec("B")])
    with pytest.raises(ValidationError) as refused:
        services.questions_import(unit=tree.stp, specs=[good, bad], by=personas["mobilisation_officer"])
    assert refused.value.messages == ["Câu hỏi ở dòng 3: Đánh dấu ít nhất một phương án đúng."]
    assert not Question.objects.exists()
    assert (
        services.questions_import(unit=tree.stp, specs=[good, good], by=personas["mobilisation_officer"]) == 2
    )


def test_an_asked_question_keeps_its_choices(tree, personas):
    officer = personas["mobilisation_officer"]
    question = services.question_create(
        unit=tree.stp,
        spec=spec(
            choices=[services.ChoiceSpec("A", True), services.ChoiceSpec("B"), services.ChoiceSpec("C")]
        ),
        by=officer,
    )
    quiz = factories.quiz(tree.stp)
    factories.attempt(quiz, officer, questions=[question])
    with pytest.raises(ValidationError):
        services.question_update(question=question, spec=spec(), by=officer)
    assert question.choices.count() == 3
    services.question_update(
        question=question,
        spec=spec(
            text="Sửa",
            choices=[services.ChoiceSpec("A2"), services.ChoiceSpec("B2", True), services.ChoiceSpec("C2")],
        ),
        by=officer,
    )
    assert [(c.text, c.correct) for c in question.choices.order_by("position")] == [
        ("A2", False),
        ("B2", True),
        ("C2", False),
    ]


def quiz_spec(unit, **changes):
    today = timezone.localdate()
    values = {
        "unit": unit,
        "title": "Thi tìm hiểu",
        "opens_on": today,
        "closes_on": today,
        "minutes": 15,
        "easy_count": 2,
    }
    values.update(changes)
    return services.QuizSpec(**values)


def test_a_quiz_cannot_draw_more_questions_than_the_bank_holds(tree, personas):
    officer = personas["mobilisation_officer"]
    factories.question(tree.root)  # the bank above counts too
    factories.question(tree.stp)
    factories.question(tree.syt)  # a sibling's bank does not
    factories.question(tree.stp, difficulty="hard")
    with pytest.raises(ValidationError) as refused:
        services.quiz_create(spec=quiz_spec(tree.stp, easy_count=3, hard_count=1), by=officer)
    assert refused.value.message_dict["easy_count"] == [
        "Ngân hàng chỉ có 2 câu hỏi ở mức độ này thuộc các chủ đề đã chọn; đề thi cần 3."
    ]
    assert not Quiz.objects.exists()
    quiz = services.quiz_create(spec=quiz_spec(tree.stp, easy_count=2, hard_count=1), by=officer)
    assert quiz.question_count == 3


def test_a_quiz_is_refused_with_bad_dates_or_nothing_to_draw(tree, personas):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.quiz_create(
            spec=quiz_spec(tree.stp, easy_count=0, closes_on=today - datetime.timedelta(days=1)),
            by=personas["mobilisation_officer"],
        )
    assert set(refused.value.message_dict) == {"easy_count", "closes_on"}


def test_an_attempt_draws_stores_and_scores_exact_answers(tree, personas):
    single = factories.question(tree.stp, right=(2,))
    multiple = factories.question(tree.stp, difficulty="medium", right=(1, 3), choices=4)
    quiz = factories.quiz(tree.stp, easy=1, medium=1, shuffle=True)
    taker = personas["case_handler"]
    attempt = services.attempt_start(quiz=quiz, by=taker)
    assert attempt.total == 2 and attempt.unit == tree.stp
    items = {item.question_id: item for item in AttemptQuestion.objects.filter(attempt=attempt)}
    assert set(items) == {single.pk, multiple.pk}
    assert sorted(items[multiple.pk].order) == sorted(multiple.choices.values_list("pk", flat=True))
    right_single = list(single.choices.filter(correct=True).values_list("pk", flat=True))
    only_one_of_two = list(multiple.choices.filter(correct=True).values_list("pk", flat=True))[:1]
    done = services.attempt_submit(
        attempt=attempt, answers={single.pk: right_single, multiple.pk: only_one_of_two}, by=taker
    )
    assert (done.right, done.late) == (1, False)
    assert selectors.score_of(done.right, done.total) == 5
    with pytest.raises(ValidationError):
        services.attempt_submit(attempt=attempt, answers={}, by=taker)


def test_answers_after_the_time_limit_are_not_counted(tree, personas):
    question = factories.question(tree.stp)
    quiz = factories.quiz(tree.stp, minutes=10)
    taker = personas["viewer"]
    start = timezone.now() - datetime.timedelta(minutes=20)
    attempt = services.attempt_start(quiz=quiz, by=taker, now=start)
    right = list(question.choices.filter(correct=True).values_list("pk", flat=True))
    within_grace = start + datetime.timedelta(minutes=10, seconds=20)
    late = start + datetime.timedelta(minutes=11)
    done = services.attempt_submit(attempt=attempt, answers={question.pk: right}, by=taker, now=late)
    assert (done.right, done.late) == (0, True)
    assert AttemptQuestion.objects.get(attempt=attempt).chosen == []
    # Within the grace the answers count.
    other = factories.quiz(tree.stp, minutes=10, title="Khác")
    attempt = services.attempt_start(quiz=other, by=taker, now=start)
    assert (
        services.attempt_submit(
            attempt=attempt, answers={question.pk: right}, by=taker, now=within_grace
        ).right
        == 1
    )


def test_attempts_are_limited_and_one_runs_at_a_time(tree, personas):
    factories.question(tree.stp)
    taker = personas["reporter"]
    once = factories.quiz(tree.stp, attempts=1)
    services.attempt_submit(attempt=services.attempt_start(quiz=once, by=taker), answers={}, by=taker)
    with pytest.raises(ValidationError) as refused:
        services.attempt_start(quiz=once, by=taker)
    assert refused.value.messages == ["Bạn đã dùng hết 1 lượt thi của đề này."]
    twice = factories.quiz(tree.stp, attempts=2, title="Hai lượt")
    first = services.attempt_start(quiz=twice, by=taker)
    with pytest.raises(ValidationError):
        services.attempt_start(quiz=twice, by=taker)  # the first is still running
    services.attempt_submit(attempt=first, answers={}, by=taker)
    assert services.attempt_start(quiz=twice, by=taker).number == 2
    assert Attempt.objects.filter(user=taker).count() == 3


def test_a_closed_or_future_quiz_cannot_be_started(tree, personas):
    factories.question(tree.stp)
    closed = factories.quiz(tree.stp, days=(-10, -1))
    future = factories.quiz(tree.stp, days=(1, 5), title="Sắp mở")
    for quiz, message in ((closed, "Đề thi đã đóng."), (future, "Đề thi chưa mở.")):
        with pytest.raises(ValidationError) as refused:
            services.attempt_start(quiz=quiz, by=personas["viewer"])
        assert refused.value.messages == [message]
    assert not Attempt.objects.exists()


def test_a_quiz_is_open_to_its_subtree_and_counts_people_at_their_unit(tree, personas, django_user_model):
    from conftest import make_user

    factories.question(tree.root)
    quiz = factories.quiz(tree.root)
    cell_member = make_user("dang_vien_cb1", unit=tree.stp_cb1, role="viewer")
    assert selectors.may_take(cell_member, quiz) and selectors.may_take(personas["outsider"], quiz)
    stp_quiz = factories.quiz(tree.stp, title="Của STP")
    assert not selectors.may_take(personas["outsider"], stp_quiz)
    attempt = services.attempt_start(quiz=quiz, by=cell_member)
    assert attempt.unit == tree.stp_cb1
