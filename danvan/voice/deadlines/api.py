"""The deadline rules API (`/api/v1/deadline-rules/`): read only; administrators edit the rules on their pages.

Whoever holds CASE_VIEW or DEADLINE_MANAGE somewhere may read every rule (they belong to the whole
installation); anyone else gets 403.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins

from danvan.accounts.permissions import HoldsPerm, obtain
from danvan.accounts.policy import Perm
from danvan.audit.api import AuditedViewSet
from danvan.core.api import query_params

from . import serializers as s
from .models import DeadlineRule


@extend_schema(tags=["cases"])
class DeadlineRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, AuditedViewSet):
    """The statutory deadline rules (read only here; administrators edit them on their pages)."""

    serializer_class = s.DeadlineRuleOutput
    queryset = DeadlineRule.objects.all()
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    permission_classes = [HoldsPerm]
    required_perm = (Perm.CASE_VIEW, Perm.DEADLINE_MANAGE)  # either will do: the rules are everyone's

    def get_object(self) -> DeadlineRule:
        return obtain(DeadlineRule.objects.all(), user=self.request.user, code=self.kwargs["code"])

    def get_queryset(self):
        qs = DeadlineRule.objects.order_by("procedure", "step", "-effective_from", "code")
        if self.action == "list":
            params = query_params(s.DeadlineRuleListParams, self.request)
            if params.get("procedure"):
                qs = qs.filter(procedure=params["procedure"])
            if params.get("in_force_on"):
                day = params["in_force_on"]
                qs = qs.filter(effective_from__lte=day).exclude(effective_to__lt=day)
        return qs

    @extend_schema(parameters=[s.DeadlineRuleListParams])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
