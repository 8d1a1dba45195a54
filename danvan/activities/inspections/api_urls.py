"""Routes of the inspection and supervision API under /api/v1/activities/: the programmes
(`inspections/`), their inspected units (`inspected-units/`) and the remedies (`inspection-remedies/`)."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("inspections", api.InspectionViewSet, basename="inspection")
router.register("inspected-units", api.TargetViewSet, basename="inspection-target")
router.register("inspection-remedies", api.RemedyViewSet, basename="inspection-remedy")

urlpatterns = router.urls
