"""Routes of the commendations API under /api/v1/emulation/commendations/."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("commendations", api.CommendationViewSet, basename="commendation")

urlpatterns = router.urls
