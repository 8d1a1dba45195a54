"""Routes of the thematic cell meetings API under /api/v1/."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("cell-meetings", api.MeetingViewSet, basename="cell-meeting")

urlpatterns = router.urls
