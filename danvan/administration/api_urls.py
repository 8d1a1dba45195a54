from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, audit_api

router = SimpleRouter()
router.register("users", api.UserViewSet, basename="user")
router.register("role-assignments", api.RoleAssignmentViewSet, basename="role-assignment")
router.register("audit-events", audit_api.AuditEventViewSet, basename="audit-event")

urlpatterns = [path("me/", api.MeView.as_view(), name="api-me"), *router.urls]
