"""Routes of the People's Inspection Board API under /api/v1/activities/."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("inspection-boards", api.BoardViewSet, basename="inspection-board")
router.register("inspection-board-members", api.MemberViewSet, basename="inspection-board-member")
router.register(
    "inspection-board-recommendations", api.RecommendationViewSet, basename="inspection-board-recommendation"
)

urlpatterns = router.urls
