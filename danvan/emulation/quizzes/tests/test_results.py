"""A quiz's results: per person (best attempt), per unit, participation, hardest questions, distractors."""

import pytest

from conftest import make_user
from danvan.emulation.quizzes import selectors

from . import factories

pytestmark = pytest.mark.django_db


def test_results_per_person_unit_and_question(tree, personas):
    easy = factories.question(tree.stp, text="Dễ?")
    hard = factories.question(tree.stp, text="Khó?", difficulty="hard")
    quiz = factories.quiz(tree.stp, easy=1, hard=1, attempts=2)
    member = make_user("dv_cb1", unit=tree.stp_cb1, role="viewer")
    wrong = hard.choices.get(position=2)
    right_easy = easy.choices.get(position=1)

    def answered(attempt, chosen):
        for item in attempt.items.all():
            item.chosen = chosen.get(item.question_id, [])
            item.correct = item.chosen == [c.pk for c in item.question.choices.filter(correct=True)]
            item.save()

    a1 = factories.attempt(quiz, member, unit=tree.stp_cb1, questions=[easy, hard], right=1)
    answered(a1, {easy.pk: [right_easy.pk], hard.pk: [wrong.pk]})
    a2 = factories.attempt(quiz, member, unit=tree.stp_cb1, questions=[easy, hard], right=2)
    answered(a2, {easy.pk: [right_easy.pk], hard.pk: [hard.choices.get(position=1).pk]})
    viewer = personas["viewer"]
    a3 = factories.attempt(quiz, viewer, unit=tree.stp, questions=[easy, hard], right=0)
    answered(a3, {hard.pk: [wrong.pk]})
    factories.attempt(
        quiz, personas["reporter"], questions=[easy], right=None, submitted=False, minutes_ago=1
    )

    found = selectors.results(quiz)
    assert [(row.name, row.attempts, str(row.score)) for row in found.people] == [
        ("dv_cb1", 2, "10.00"),
        ("viewer_stp", 1, "0.00"),
    ]
    # Every role at STP (6) and the cell member can take it; two have finished.
    assert (found.took, found.eligible) == (2, 7)
    by_unit = {row.name: row for row in found.units}
    assert (by_unit["Chi bộ 1"].took, by_unit["Chi bộ 1"].people, str(by_unit["Chi bộ 1"].average)) == (
        1,
        1,
        "10.00",
    )
    assert (by_unit["Đảng ủy Sở Tư pháp"].took, by_unit["Đảng ủy Sở Tư pháp"].people) == (1, 6)
    # The hard question first (1 right of 3), its wrong choice picked twice.
    assert [stat.question.pk for stat in found.questions] == [hard.pk, easy.pk]
    assert {c.choice.pk: c.picked for c in found.questions[0].choices}[wrong.pk] == 2
    assert str(found.questions[0].share) == "33.3"


def test_the_results_page_costs_the_same_whatever_the_number_of_attempts(tree, personas, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    questions = [factories.question(tree.stp, topic=f"Chủ đề {i}") for i in range(3)]
    quiz = factories.quiz(tree.stp, easy=3)
    client = login(personas["admin"])
    url = reverse("quizzes:results", kwargs={"pk": quiz.pk})

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    factories.attempt(quiz, personas["viewer"], questions=questions[:1], right=1)
    client.get(url)
    few = cost()
    for i in range(8):
        taker = make_user(f"nguoi_thi_{i}", unit=tree.stp_cb2, role="viewer")
        factories.attempt(quiz, taker, unit=tree.stp_cb2, questions=questions, right=i % 4)
    assert cost() == few
