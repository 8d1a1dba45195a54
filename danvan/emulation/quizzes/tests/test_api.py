"""The quiz API: the bank (read, add with the services' Vietnamese refusals), quizzes and their results."""

import pytest
from django.urls import reverse

from danvan.emulation.quizzes.models import Question

from . import factories

pytestmark = pytest.mark.django_db


def test_a_question_is_added_through_the_api_or_refused_with_nothing_saved(tree, personas, api):
    client = api(personas["mobilisation_officer"])
    body = {
        "unit": "STP",
        "text": "Luật Hòa giải ở cơ sở có hiệu lực từ năm nào?",
        "topic": "Hòa giải ở cơ sở",
        "difficulty": "easy",
        "choices": [{"text": "2013"}, {"text": "2014"}],
    }
    response = client.post(reverse("quiz-question-list"), body, format="json")
    assert response.status_code == 400
    assert "Đánh dấu ít nhất một phương án đúng." in str(response.json())
    assert not Question.objects.exists()
    body["choices"][1]["correct"] = True
    response = client.post(reverse("quiz-question-list"), body, format="json")
    assert response.status_code == 201
    assert [c["correct"] for c in response.json()["choices"]] == [False, True]
    # A unit out of reach is refused like an unknown one.
    response = api(personas["outsider"]).post(reverse("quiz-question-list"), body, format="json")
    assert response.status_code == 400 and Question.objects.count() == 1


def test_the_results_of_a_quiz_through_the_api(tree, personas, api):
    question = factories.question(tree.stp)
    quiz = factories.quiz(tree.stp)
    factories.attempt(quiz, personas["viewer"], questions=[question], right=1)
    data = api(personas["viewer"]).get(reverse("quiz-results", kwargs={"pk": quiz.pk})).json()
    assert (data["took"], data["people"][0]["score"]) == (1, "10.00")
    assert api(personas["outsider"]).get(reverse("quiz-results", kwargs={"pk": quiz.pk})).status_code == 404
