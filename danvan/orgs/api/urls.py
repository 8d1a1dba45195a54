from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("unit-types", views.UnitTypeViewSet, basename="unit-type")
router.register("unit-groups", views.UnitGroupViewSet, basename="unit-group")

urlpatterns = router.urls
