"""The quiz bank's pages in the permission matrix.

A quiz is open to the people of its unit's whole subtree, so a quiz (and a bank question) of the unit
above is rightly seen by the roles of STP: those entries are read without the unit above (`above=False`).
"""

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import EXPORT, Made


def _quiz(world, unit):
    from danvan.emulation.quizzes.tests import factories

    factories.question(unit)
    return factories.quiz(unit, title=f"MATRIX-QUIZ-{unit.code}")


def quiz(world, unit):
    made = _quiz(world, unit)
    return Made({"pk": made.pk}, marker=made.title)


def quiz_plain(world, unit):
    return {"pk": _quiz(world, unit).pk}


def question(world, unit):
    from danvan.emulation.quizzes.tests import factories

    made = factories.question(unit, text=f"MATRIX-QUESTION-{unit.code}")
    return Made({"pk": made.pk}, marker=made.text)


def attempt(world, unit):
    from danvan.accounts.models import User
    from danvan.emulation.quizzes.tests import factories

    taker = User.objects.create_user(username=f"matrix-taker-{unit.code}", password="mat-khau-thu-nghiem-1")
    made = _quiz(world, unit)
    return {"pk": factories.attempt(made, taker, questions=list(made.unit.quiz_questions.all())).pk}


def register(matrix):
    take, view, manage = Perm.QUIZ_TAKE, Perm.EMULATION_VIEW, Perm.EMULATION_MANAGE
    matrix.listing("quizzes:home", perm=take, make=quiz)
    matrix.read("quizzes:quiz", perm=take, make=quiz, above=False)
    matrix.write_only("quizzes:start", perm=take, make=quiz_plain, note="POST: start an attempt")
    matrix.exempt("quizzes:attempt", "a person's own attempt: only its taker sees it (test_pages)")
    matrix.write_only(
        "quizzes:submit", perm=take, make=attempt, note="POST: the answers of one's own attempt"
    )
    matrix.listing("quizzes:quizzes", perm=view, make=quiz)
    matrix.read("quizzes:quiz_create", perm=manage)
    matrix.read("quizzes:results", perm=view, make=quiz)
    matrix.read("quizzes:quiz_edit", perm=manage, make=quiz)
    matrix.write_only("quizzes:quiz_close", perm=manage, make=quiz_plain, note="POST: close the quiz now")
    matrix.read("quizzes:results_xlsx", perm=view, make=quiz_plain, writes=EXPORT)
    matrix.listing("quizzes:bank", perm=manage, make=question)
    matrix.read("quizzes:question_create", perm=manage)
    matrix.read("quizzes:import", perm=manage)
    matrix.read("quizzes:sample", perm=manage)
    matrix.read("quizzes:question", perm=manage, make=question, above=False)
    matrix.write_only("quizzes:question_active", perm=manage, make=question, note="POST: take out of use")
    # The API.
    matrix.listing("quiz-question-list", perm=manage, make=question)
    matrix.read("quiz-question-detail", perm=manage, make=question, above=False)
    matrix.listing("quiz-list", perm=view, make=quiz)
    matrix.read("quiz-detail", perm=view, make=quiz)
    matrix.read("quiz-results", perm=view, make=quiz_plain)
