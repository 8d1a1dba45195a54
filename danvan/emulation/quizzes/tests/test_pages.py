"""The quiz pages: taking a quiz (start, countdown, submit, result), the attempt seen by its taker only,
the results, the bank's forms; the work home, the reminder, the report sources and the overview card."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from danvan.accounts.actors import System
from danvan.core import worklist
from danvan.emulation import cards
from danvan.emulation.quizzes import sources
from danvan.emulation.quizzes.models import Attempt, Question, Quiz
from danvan.reminders.services import send

from . import factories

pytestmark = pytest.mark.django_db


def test_a_person_takes_a_quiz_from_start_to_result(tree, personas, login):
    question = factories.question(tree.stp, text="Phương châm “dân biết, dân bàn” thuộc văn bản nào?")
    quiz = factories.quiz(tree.stp, title="Thi tìm hiểu dân vận")
    taker = personas["case_handler"]
    client = login(taker)
    page = client.get(reverse("quizzes:home")).content.decode()
    assert "Thi tìm hiểu dân vận" in page
    page = client.get(reverse("quizzes:quiz", kwargs={"pk": quiz.pk})).content.decode()
    assert 'id="quiz-start"' in page
    response = client.post(reverse("quizzes:start", kwargs={"pk": quiz.pk}))
    attempt = Attempt.objects.get(user=taker)
    assert response.url == reverse("quizzes:attempt", kwargs={"pk": attempt.pk})
    page = client.get(response.url).content.decode()
    assert "Giờ máy chủ" in page and "Hết giờ lúc" in page and 'id="quiz-clock"' in page
    assert "Giải thích thử" not in page  # no explanation while it runs
    assert 'type="radio"' in page
    right = question.choices.get(correct=True)
    client.post(reverse("quizzes:submit", kwargs={"pk": attempt.pk}), {f"q{question.pk}": str(right.pk)})
    page = client.get(reverse("quizzes:attempt", kwargs={"pk": attempt.pk})).content.decode()
    assert re.search(r'id="quiz-score">10,00<', page)
    assert "Giải thích thử" in page and "đáp án đúng" in page
    # Another person never sees the attempt.
    assert (
        login(personas["viewer"]).get(reverse("quizzes:attempt", kwargs={"pk": attempt.pk})).status_code
        == 404
    )
    # One attempt allowed: no start button any more, and a second start is refused with a message.
    page = client.get(reverse("quizzes:quiz", kwargs={"pk": quiz.pk})).content.decode()
    assert 'id="quiz-start"' not in page
    response = client.post(reverse("quizzes:start", kwargs={"pk": quiz.pk}), follow=True)
    assert "Bạn đã dùng hết 1 lượt thi của đề này." in response.content.decode()
    assert Attempt.objects.filter(user=taker).count() == 1


def test_an_attempt_left_unsent_ends_with_nothing_counted(tree, personas, login):
    question = factories.question(tree.stp)
    quiz = factories.quiz(tree.stp, minutes=5)
    taker = personas["viewer"]
    attempt = factories.attempt(quiz, taker, questions=[question], submitted=False, minutes_ago=30)
    page = login(taker).get(reverse("quizzes:attempt", kwargs={"pk": attempt.pk})).content.decode()
    assert "Đã hết giờ trước khi nộp bài" in page and 'id="quiz-form"' not in page
    right = question.choices.get(correct=True)
    login(taker).post(
        reverse("quizzes:submit", kwargs={"pk": attempt.pk}), {f"q{question.pk}": str(right.pk)}
    )
    attempt.refresh_from_db()
    assert (attempt.right, attempt.late) == (0, True)


def test_the_results_page_and_export(tree, personas, login):
    question = factories.question(tree.stp, text="Câu khó nhất?")
    quiz = factories.quiz(tree.stp, title="Đề có kết quả")
    attempt = factories.attempt(quiz, personas["reporter"], questions=[question], right=1)
    attempt.items.update(correct=True)
    client = login(personas["unit_head"])
    page = client.get(reverse("quizzes:results", kwargs={"pk": quiz.pk})).content.decode()
    assert "reporter_stp" in page and "Câu khó nhất?" in page and "10,00" in page
    assert 'id="quiz-participation">1 / 6 (16,7 %)' in page
    response = client.get(reverse("quizzes:results_xlsx", kwargs={"pk": quiz.pk}))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    from danvan.audit.models import AuditEvent

    exported = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, object_repr="Đề có kết quả").get()
    assert exported.unit_id == tree.stp.pk and exported.changes["people"] == 1  # like every other export
    assert (
        login(personas["outsider"]).get(reverse("quizzes:results", kwargs={"pk": quiz.pk})).status_code == 404
    )


def test_the_question_form_refuses_a_question_with_no_right_answer(tree, personas, login):
    client = login(personas["mobilisation_officer"])
    data = {
        "unit": "STP",
        "text": "Hỏi?",
        "topic": "Dân vận",
        "difficulty": "easy",
        "choice_1": "Một",
        "choice_2": "Hai",
    }
    response = client.post(reverse("quizzes:question_create"), data)
    assert response.status_code == 400
    assert "Đánh dấu ít nhất một phương án đúng." in response.content.decode()
    assert not Question.objects.exists()
    response = client.post(reverse("quizzes:question_create"), {**data, "right_2": "on"})
    question = Question.objects.get()
    assert response.url == reverse("quizzes:question", kwargs={"pk": question.pk})
    assert [c.correct for c in question.choices.order_by("position")] == [False, True]


def test_the_quiz_form_says_when_the_bank_is_too_small(tree, personas, login):
    factories.question(tree.stp)
    client = login(personas["mobilisation_officer"])
    today = timezone.localdate().strftime("%d/%m/%Y")
    data = {
        "unit": "STP", "title": "Thi", "easy_count": "5", "medium_count": "0", "hard_count": "0",
        "minutes": "15", "opens_on": today, "closes_on": today, "attempts_allowed": "1",
    }  # fmt: skip
    response = client.post(reverse("quizzes:quiz_create"), data)
    assert "Ngân hàng chỉ có 1 câu hỏi ở mức độ này" in response.content.decode()
    assert not Quiz.objects.exists()
    response = client.post(reverse("quizzes:quiz_create"), {**data, "easy_count": "1"})
    assert Quiz.objects.get().unit == tree.stp


def test_the_work_home_and_the_reminder_name_the_quizzes_not_taken(tree, personas, login):
    factories.question(tree.stp)
    today = timezone.localdate()
    closing = factories.quiz(tree.stp, title="Sắp đóng", days=(-1, 2))
    factories.quiz(tree.stp, title="Còn lâu", days=(-1, 20))
    member = make_user("dv", unit=tree.stp_cb1, role="viewer", email="dv@example.vn")
    with worklist.only("quizzes"):
        found = worklist.sections(member, today)[0]
    assert [item.title for item in found.items] == ["Sắp đóng", "Còn lâu"]
    assert found.items[0].due == closing.closes_on
    factories.attempt(closing, personas["viewer"], questions=[])
    personas["viewer"].email = "viewer@example.vn"
    personas["viewer"].save()
    sent = send(kind="quiz", today=today, by=System("tests"))
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert "dv@example.vn" in recipients and "viewer@example.vn" not in recipients  # already took it
    assert sent == len(mail.outbox)
    assert "Sắp đóng" in mail.outbox[0].body and "Còn lâu" not in mail.outbox[0].body
    assert send(kind="quiz", today=today, by=System("tests")) == 0  # once a day
    with worklist.only("quizzes"):
        assert worklist.sections(personas["outsider"], today)[0].total == 0


def test_the_sources_count_ended_attempts_at_the_person_s_unit(tree, personas):
    question = factories.question(tree.stp)
    quiz = factories.quiz(tree.stp, minutes=5)
    day = timezone.localdate()
    factories.attempt(quiz, personas["viewer"], unit=tree.stp_cb1, questions=[question, question], right=1)
    factories.attempt(quiz, personas["viewer"], unit=tree.stp_cb1, questions=[question], right=1)
    factories.attempt(
        quiz, personas["reporter"], questions=[question], submitted=False, minutes_ago=1
    )  # running
    figures = sources.attempt_figures(day - datetime.timedelta(days=1), day, None)
    assert figures == {
        tree.stp_cb1.pk: {sources.ATTEMPTS: 2, sources.TAKERS: 1, sources.QUESTIONS: 3, sources.RIGHT: 2}
    }
    period = type("Period", (), {"start": day, "end": day})()
    assert sources.people(period, [tree.stp.pk, tree.root.pk]) == {tree.stp.pk: 6, tree.root.pk: 1}
    # A period that ended before the roles were granted counts nobody.
    before = type(
        "Period", (), {"start": day - datetime.timedelta(days=30), "end": day - datetime.timedelta(days=1)}
    )()
    assert sources.people(before, [tree.stp.pk, tree.root.pk]) == {}


def test_the_overview_card_shows_the_year_s_figures(tree, personas, login):
    question = factories.question(tree.stp)
    quiz = factories.quiz(tree.stp)
    factories.attempt(quiz, personas["viewer"], questions=[question], right=1)
    page = (
        login(personas["viewer"])
        .get(reverse("emulation:home"), {"year": quiz.opens_on.year})
        .content.decode()
    )
    assert 'data-card="quizzes"' in page and "Điểm trung bình (thang 10)" in page and "10,00" in page
    shown = [c for c in cards.shown(personas["outsider"], quiz.opens_on.year) if c.card.key == "quizzes"]
    assert shown and not shown[0].figures


def test_a_figure_s_records_are_the_quizzes_its_unit_s_people_took(tree, personas, login):
    question = factories.question(tree.stp)
    taken = factories.quiz(tree.stp, title="Đã có người thi")
    factories.quiz(tree.stp, title="Chưa ai thi")
    factories.attempt(taken, personas["viewer"], unit=tree.stp_cb1, questions=[question], right=1)
    day = timezone.localdate()
    url = sources._records(tree.stp_cb1.pk, type("Period", (), {"start": day, "end": day})())
    assert url.endswith("?unit=STP-CB1")
    page = login(personas["viewer"]).get(url).content.decode()
    assert "Đã có người thi" in page and "Chưa ai thi" not in page
    page = login(personas["viewer"]).get(reverse("quizzes:quizzes"), {"unit": "STP-CB2"}).content.decode()
    assert "Đã có người thi" not in page
