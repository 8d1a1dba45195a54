"""Routes of the evaluations API under /api/v1/emulation/: evaluations and the ranking."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("evaluations", api.EvaluationViewSet, basename="evaluation")

urlpatterns = [
    path("evaluations/ranking/", api.RankingView.as_view(), name="evaluation-ranking"),
    *router.urls,
]
