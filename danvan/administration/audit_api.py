"""The audit log API: read-only, filtered, and scoped like the audit browser.

An event is visible where the user holds `Perm.AUDIT_VIEW` over the unit it belongs to (the unit's
path as it stood when the event was written). Events that belong to no unit (logins, catalogue
changes) are visible only to administrators of a whole tree (`policy.can(user, perm, None)`).
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers

from danvan.accounts.permissions import HoldsPerm
from danvan.accounts.policy import Perm
from danvan.audit.api import AuditedViewSet
from danvan.audit.models import AuditEvent
from danvan.core.api import DateField, as_id, query_params
from danvan.core.paths import path_upper_bound
from danvan.orgs.selectors import unit_by_code

from .audit_selectors import events_visible_to


class AuditEventOutput(serializers.ModelSerializer):
    action_display = serializers.CharField(source="get_action_display")

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "action",
            "action_display",
            "actor_id",
            "actor_label",
            "unit_code",
            "model",
            "object_id",
            "object_repr",
            "changes",
            "ip_address",
            "source",
        ]


class AuditEventParams(serializers.Serializer):
    action = serializers.ChoiceField(required=False, choices=AuditEvent.Action.choices)
    model = serializers.CharField(required=False, max_length=100, help_text=_("e.g. orgs.unit"))
    actor = serializers.CharField(required=False, max_length=150, help_text=_("User id or username."))
    unit = serializers.CharField(required=False, max_length=64, help_text=_("Unit code: its whole subtree."))
    date_from = DateField(required=False)
    date_to = DateField(required=False)

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": _("The end date is before the start date.")})
        return attrs


def _filtered(events: QuerySet[AuditEvent], params: dict) -> QuerySet[AuditEvent]:
    if params.get("action"):
        events = events.filter(action=params["action"])
    if params.get("model"):
        events = events.filter(model=params["model"])
    if params.get("actor"):
        actor_id = as_id(params["actor"])
        events = events.filter(actor_id=actor_id) if actor_id else events.filter(actor_label=params["actor"])
    if params.get("unit"):
        unit = unit_by_code(params["unit"])
        if unit is None:
            return events.none()
        in_subtree = Q(unit_path__gte=unit.path, unit_path__lt=path_upper_bound(unit.path))
        events = events.filter(in_subtree | Q(unit_id=unit.pk))  # its own events from before a move too
    if params.get("date_from"):
        events = events.filter(at__date__gte=params["date_from"])
    if params.get("date_to"):
        events = events.filter(at__date__lte=params["date_to"])
    return events


@extend_schema(tags=["audit"])
class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, AuditedViewSet):
    """The audit log (newest first), for users who may read it; nothing here changes it."""

    serializer_class = AuditEventOutput
    lookup_value_regex = r"[0-9]{1,18}"
    permission_classes = [HoldsPerm]
    required_perm = Perm.AUDIT_VIEW

    def get_queryset(self):
        events = events_visible_to(user=self.request.user)
        if self.action == "list":
            events = _filtered(events, query_params(AuditEventParams, self.request))
        return events.order_by("-at", "-id")

    @extend_schema(parameters=[AuditEventParams])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
