"""Routes of the cases API under /api/v1/: cases (with their history, clocks and actions) and deadline rules."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("cases", api.CaseViewSet, basename="case")
router.register("deadline-rules", api.DeadlineRuleViewSet, basename="deadline-rule")

urlpatterns = router.urls
