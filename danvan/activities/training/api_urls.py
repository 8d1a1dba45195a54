"""Routes of the training API under /api/v1/activities/."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("training-classes", api.TrainingClassViewSet, basename="training-class")

urlpatterns = router.urls
