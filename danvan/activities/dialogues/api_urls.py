"""Routes of the dialogues API under /api/v1/: dialogues (with their issues) and issues."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("dialogues", api.DialogueViewSet, basename="dialogue")
router.register("dialogue-issues", api.IssueViewSet, basename="dialogue-issue")

urlpatterns = router.urls
