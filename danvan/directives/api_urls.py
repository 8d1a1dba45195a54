"""Routes of the documents API under /api/v1/: the register (documents, files, relations) and dissemination."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("documents", api.DocumentViewSet, basename="document")
router.register("deliveries", api.DeliveryViewSet, basename="delivery")

urlpatterns = router.urls
