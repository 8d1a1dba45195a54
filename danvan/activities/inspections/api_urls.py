"""Routes of the inspection API under /api/v1/activities/inspections/."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("programmes", api.InspectionViewSet, basename="inspection")
router.register("units", api.TargetViewSet, basename="inspection-target")
router.register("remedies", api.RemedyViewSet, basename="inspection-remedy")

urlpatterns = router.urls
