"""Routes of the workplace API under /api/v1/activities/: staff conferences and disclosures to staff."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("staff-conferences", api.ConferenceViewSet, basename="staff-conference")
router.register("disclosures", api.DisclosureViewSet, basename="disclosure")

urlpatterns = router.urls
