"""Routes of the voice API under /api/v1/: cases (with their history, clocks and actions) and deadline rules."""

from rest_framework.routers import SimpleRouter

from .cases import api as cases
from .deadlines import api as deadlines

router = SimpleRouter()
router.register("cases", cases.CaseViewSet, basename="case")
router.register("deadline-rules", deadlines.DeadlineRuleViewSet, basename="deadline-rule")

urlpatterns = router.urls
