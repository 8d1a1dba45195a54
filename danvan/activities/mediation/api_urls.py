"""Routes of the mediation API under /api/v1/activities/mediation/: teams (with their mediators) and the register."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("mediation/teams", api.TeamViewSet, basename="mediation-team")
router.register("mediation/cases", api.CaseViewSet, basename="mediation-case")

urlpatterns = router.urls
