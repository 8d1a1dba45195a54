"""Routes of the action programmes API under /api/v1/: programmes (with their tasks), tasks and occurrences."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("programmes", api.ProgrammeViewSet, basename="programme")
router.register("tasks", api.TaskViewSet, basename="task")
router.register("occurrences", api.OccurrenceViewSet, basename="occurrence")

urlpatterns = router.urls
