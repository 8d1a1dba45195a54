"""Routes of the quiz API under /api/v1/emulation/: the bank and the quizzes."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("quizzes/questions", api.QuestionViewSet, basename="quiz-question")
router.register("quizzes/quizzes", api.QuizViewSet, basename="quiz")

urlpatterns = router.urls
