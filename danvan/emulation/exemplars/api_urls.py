"""Routes of the models' API under /api/v1/emulation/: models/campaigns/ and models/."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("models/campaigns", api.CampaignViewSet, basename="exemplar-campaign")
router.register("models", api.ExemplarViewSet, basename="exemplar")

urlpatterns = router.urls
