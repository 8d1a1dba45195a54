"""Changing a quiz (what it draws only until someone has started it) and closing it now."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from danvan.audit.models import AuditEvent
from danvan.emulation.quizzes import services
from danvan.emulation.quizzes.models import Attempt, Quiz

from . import factories

pytestmark = pytest.mark.django_db


def _spec(quiz, **changes):
    values = {
        "unit": quiz.unit,
        "title": quiz.title,
        "opens_on": quiz.opens_on,
        "closes_on": quiz.closes_on,
        "minutes": quiz.minutes,
        "easy_count": quiz.easy_count,
        "medium_count": quiz.medium_count,
        "hard_count": quiz.hard_count,
        "topics": list(quiz.topics.all()),
        "attempts_allowed": quiz.attempts_allowed,
        "shuffle_choices": quiz.shuffle_choices,
    }
    values.update(changes)
    return services.QuizSpec(**values)


def _form(quiz, **changes):
    data = {
        "title": quiz.title,
        "easy_count": str(quiz.easy_count),
        "medium_count": str(quiz.medium_count),
        "hard_count": str(quiz.hard_count),
        "minutes": str(quiz.minutes),
        "opens_on": quiz.opens_on.strftime("%d/%m/%Y"),
        "closes_on": quiz.closes_on.strftime("%d/%m/%Y"),
        "attempts_allowed": str(quiz.attempts_allowed),
    }
    data.update(changes)
    return data


def test_a_quiz_not_taken_yet_changes_every_field_and_is_audited(tree, personas):
    factories.question(tree.stp)
    factories.question(tree.stp)
    quiz = factories.quiz(tree.stp, title="Thi cũ")
    manager = personas["mobilisation_officer"]
    later = quiz.closes_on + datetime.timedelta(days=10)
    services.quiz_update(
        quiz=quiz,
        spec=_spec(quiz, title="Thi mới", easy_count=2, minutes=30, closes_on=later, attempts_allowed=3),
        by=manager,
    )
    quiz.refresh_from_db()
    assert (quiz.title, quiz.easy_count, quiz.minutes, quiz.closes_on, quiz.attempts_allowed) == (
        "Thi mới",
        2,
        30,
        later,
        3,
    )
    event = AuditEvent.objects.filter(object_id=str(quiz.pk), action="update").latest("id")
    assert event.unit_path == tree.stp.path
    # the bank is still the limit
    with pytest.raises(ValidationError) as refused:
        services.quiz_update(quiz=quiz, spec=_spec(quiz, easy_count=3), by=manager)
    assert "Ngân hàng chỉ có 2 câu hỏi ở mức độ này" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError) as refused:
        services.quiz_update(
            quiz=quiz, spec=_spec(quiz, closes_on=quiz.opens_on - datetime.timedelta(1)), by=manager
        )
    assert "Ngày đóng đề thi trước ngày mở." in refused.value.messages
    quiz.refresh_from_db()
    assert quiz.easy_count == 2 and quiz.closes_on == later


def test_once_someone_started_what_the_quiz_draws_cannot_change(tree, personas):
    question = factories.question(tree.stp)
    factories.question(tree.stp)
    quiz = factories.quiz(tree.stp, title="Đã có người thi")
    factories.attempt(quiz, personas["reporter"], questions=[question], right=1)
    manager = personas["mobilisation_officer"]
    with pytest.raises(ValidationError) as refused:
        services.quiz_update(quiz=quiz, spec=_spec(quiz, easy_count=2, title="Tên khác"), by=manager)
    assert any("không thể đổi chủ đề hoặc số câu hỏi" in text for text in refused.value.messages)
    quiz.refresh_from_db()
    assert (quiz.easy_count, quiz.title) == (1, "Đã có người thi")
    # what does not change the questions drawn still may
    services.quiz_update(quiz=quiz, spec=_spec(quiz, title="Tên khác", minutes=45), by=manager)
    quiz.refresh_from_db()
    assert (quiz.title, quiz.minutes) == ("Tên khác", 45)


def test_closing_a_quiz_stops_new_attempts_and_keeps_the_results(tree, personas):
    question = factories.question(tree.stp)
    quiz = factories.quiz(tree.stp, attempts=3)
    done = factories.attempt(quiz, personas["reporter"], questions=[question], right=1)
    services.quiz_close(quiz=quiz, by=personas["mobilisation_officer"])
    quiz.refresh_from_db()
    today = timezone.localdate()
    assert quiz.closes_on == today - datetime.timedelta(days=1) and quiz.opens_on <= quiz.closes_on
    event = AuditEvent.objects.filter(object_id=str(quiz.pk), action="update").latest("id")
    assert "closes_on" in event.changes
    with pytest.raises(ValidationError) as refused:
        services.attempt_start(quiz=quiz, by=personas["reporter"])
    assert refused.value.messages == ["Đề thi đã đóng."]
    assert list(Attempt.objects.filter(quiz=quiz)) == [done]
    with pytest.raises(ValidationError) as refused:
        services.quiz_close(quiz=quiz, by=personas["mobilisation_officer"])
    assert refused.value.messages == ["Đề thi đã đóng."]
    # A quiz not open yet, or opened only today, is not closed: its dates would say it was open on days it
    # never was. Its dates are changed instead.
    for days in ((3, 9), (0, 9)):
        future = factories.quiz(tree.stp, days=days)
        with pytest.raises(ValidationError) as refused:
            services.quiz_close(quiz=future, by=personas["mobilisation_officer"])
        assert "thay đổi ngày" in refused.value.messages[0] or "sửa ngày" in refused.value.messages[0]
        future.refresh_from_db()
        assert future.opens_on == today + datetime.timedelta(days=days[0])


def test_a_start_reads_the_quiz_as_it_stands_once_locked(tree, personas):
    """A start given a quiz read before it was closed (it waited for the lock) is refused all the same."""
    factories.question(tree.stp)
    quiz = factories.quiz(tree.stp)
    stale = type(quiz).objects.get(pk=quiz.pk)
    services.quiz_close(quiz=quiz, by=personas["mobilisation_officer"])
    with pytest.raises(ValidationError) as refused:
        services.attempt_start(quiz=stale, by=personas["reporter"])
    assert refused.value.messages == ["Đề thi đã đóng."]
    assert not Attempt.objects.filter(quiz=quiz).exists()


def test_only_a_manager_of_the_quiz_s_unit_changes_or_closes_it(tree, personas):
    factories.question(tree.stp)
    quiz = factories.quiz(tree.stp, title="Của Sở Tư pháp")
    for refused in (personas["outsider"], personas["unit_head"], personas["reporter"]):
        with pytest.raises(PermissionDenied):
            services.quiz_update(quiz=quiz, spec=_spec(quiz, title="Đổi"), by=refused)
        with pytest.raises(PermissionDenied):
            services.quiz_close(quiz=quiz, by=refused)
    quiz.refresh_from_db()
    assert quiz.title == "Của Sở Tư pháp" and quiz.closes_on >= timezone.localdate()


def test_the_pages_change_and_close_a_quiz(tree, personas, login):
    question = factories.question(tree.stp)
    quiz = factories.quiz(tree.stp, title="Đề tháng Ba")
    client = login(personas["mobilisation_officer"])
    results = client.get(reverse("quizzes:results", kwargs={"pk": quiz.pk})).content.decode()
    assert reverse("quizzes:quiz_edit", kwargs={"pk": quiz.pk}) in results
    assert reverse("quizzes:quiz_close", kwargs={"pk": quiz.pk}) in results
    taking = client.get(reverse("quizzes:quiz", kwargs={"pk": quiz.pk})).content.decode()
    assert 'id="quiz-edit"' in taking and 'id="quiz-close"' in taking
    # a person who may only view sees neither
    viewer = login(personas["unit_head"]).get(reverse("quizzes:results", kwargs={"pk": quiz.pk}))
    assert 'id="quiz-manage"' not in viewer.content.decode()

    edit = reverse("quizzes:quiz_edit", kwargs={"pk": quiz.pk})
    page = client.get(edit).content.decode()
    assert "Đề tháng Ba" in page and 'name="unit"' not in page
    response = client.post(edit, _form(quiz, title="Đề tháng Tư", minutes="25"))
    assert response.status_code == 302 and response.url == reverse("quizzes:results", kwargs={"pk": quiz.pk})
    quiz.refresh_from_db()
    assert (quiz.title, quiz.minutes) == ("Đề tháng Tư", 25)

    factories.attempt(quiz, personas["reporter"], questions=[question], right=1)
    page = client.get(edit).content.decode()
    assert 'id="quiz-started"' in page
    assert re.search(r'<input[^>]*name="easy_count"[^>]*disabled', page)
    # what it draws is shown but no longer taken from the form: the rest is saved
    response = client.post(edit, _form(quiz, easy_count="0", medium_count="1", title="Đề tháng Năm"))
    assert response.status_code == 302
    quiz.refresh_from_db()
    assert (quiz.easy_count, quiz.medium_count, quiz.title) == (1, 0, "Đề tháng Năm")

    close = reverse("quizzes:quiz_close", kwargs={"pk": quiz.pk})
    assert client.get(close).status_code == 302 and Quiz.objects.get(pk=quiz.pk).closes_on == quiz.closes_on
    response = client.post(close)
    assert response.status_code == 302
    quiz.refresh_from_db()
    assert quiz.closes_on < timezone.localdate()
    results = client.get(reverse("quizzes:results", kwargs={"pk": quiz.pk})).content.decode()
    assert "Đã đóng đề thi" in results and 'id="quiz-close"' not in results
    assert "reporter_stp" in results  # the results stay
