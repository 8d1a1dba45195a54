"""The commendations API (`/api/v1/emulation/commendations/`): the same rules as the pages, through the
same services and selectors.

A commendation is seen with EMULATION_VIEW at its recipient's unit or above (404 outside that scope, like
one that does not exist) and written with EMULATION_RECORD there (403). The recipient's unit named in a
body is looked up among the units where the user records: one outside gets the “no unit with code”
message. The services' refusals are 400 with their Vietnamese messages, nothing saved.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response

from danvan.accounts.api import PermRequired, validated
from danvan.accounts.permissions import obtain
from danvan.accounts.policy import Perm
from danvan.audit.api import AuditedViewSet
from danvan.core.api import query_params
from danvan.orgs.selectors import unit_by_code

from . import selectors, services
from . import serializers as s
from .models import Commendation


def _input(request) -> dict:
    # Only the recipient's unit is narrowed: the issuing unit is often above the user's own.
    return validated(s.CommendationInput, request, perm=Perm.EMULATION_RECORD, only=("unit",))


@extend_schema(tags=["commendations"])
class CommendationViewSet(PermRequired, mixins.ListModelMixin, AuditedViewSet):
    """Commendations of collectives and individuals, at the recipients' units the user may see."""

    required_perm = Perm.EMULATION_VIEW
    action_perms = {"create": Perm.EMULATION_RECORD}
    serializer_class = s.CommendationOutput
    queryset = Commendation.objects.none()
    lookup_value_regex = r"\d+"

    def _visible(self) -> QuerySet[Commendation]:
        return selectors.commendations_for(self.request.user).select_related("unit", "issuer_unit")

    def get_object(self, perm: Perm | None = None) -> Commendation:
        return obtain(self._visible(), user=self.request.user, do=perm, pk=self.kwargs["pk"])

    @extend_schema(parameters=[s.ListParams], responses=s.CommendationOutput(many=True))
    def list(self, request):
        """Newest year first; filters: unit (its subtree), year (of the movement), form, kind, from/to
        (decision date)."""
        params = query_params(s.ListParams, request)
        qs = self._visible()
        unit = None
        if params.get("unit"):
            unit = unit_by_code(params["unit"])
            if unit is None:
                qs = qs.none()
        wanted = selectors.Filter(
            unit=unit,
            year=params.get("year"),
            form=params.get("form", ""),
            kind=params.get("kind", ""),
            start=params.get("from"),
            end=params.get("to"),
        )
        qs = selectors.filtered(qs, wanted).order_by("-year", "-decision_date", "id")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.CommendationOutput(page, many=True).data)

    @extend_schema(responses=s.CommendationOutput)
    def retrieve(self, request, pk: str):
        return Response(s.CommendationOutput(self.get_object()).data)

    @extend_schema(request=s.CommendationInput, responses={201: s.CommendationOutput})
    def create(self, request):
        item = services.commendation_record(
            spec=services.CommendationSpec.of(_input(request)), by=request.user
        )
        return Response(s.CommendationOutput(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CommendationInput, responses=s.CommendationOutput)
    def update(self, request, pk: str):
        """Correct the commendation: every field is given again (the decision's file stays)."""
        item = self.get_object(Perm.EMULATION_RECORD)
        item = services.commendation_update(
            commendation=item, spec=services.CommendationSpec.of(_input(request)), by=request.user
        )
        return Response(s.CommendationOutput(item).data)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk: str):
        services.commendation_delete(commendation=self.get_object(Perm.EMULATION_RECORD), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
