"""The inspection API (`/api/v1/activities/inspections/`, `inspected-units/`, `inspection-remedies/`).

The same rules as the pages, through the same selectors and services: a programme is seen by the
inspecting side and the inspected side (ACTIVITY_VIEW); an inspected unit's findings and remedies by
the inspecting side and that unit's side. Planning, findings and remedies need ACTIVITY_RECORD at
the inspecting unit; the follow-up of a remedy ACTIVITY_RECORD at its responsible unit. A record out
of sight answers 404; one seen without the right to change it 403; the services' refusals 400 with
their Vietnamese messages, nothing saved. A unit code out of the user's scope is refused like an
unknown code.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from danvan.accounts import policy
from danvan.accounts.api import PermRequired, validated
from danvan.accounts.permissions import obtain
from danvan.accounts.policy import Perm
from danvan.audit.api import AuditedViewSet
from danvan.core.api import query_params
from danvan.core.text import whole
from danvan.orgs.selectors import unit_by_code

from . import selectors, services
from . import serializers as s
from .models import Inspection, Remedy, Target

VIEW, RECORD = Perm.ACTIVITY_VIEW, Perm.ACTIVITY_RECORD


def _input(serializer_class, request) -> dict:
    return validated(serializer_class, request, perm=VIEW)


@extend_schema(tags=["activities"])
class InspectionViewSet(PermRequired, mixins.ListModelMixin, AuditedViewSet):
    """Inspection and supervision programmes the user may see."""

    required_perm = Perm.ACTIVITY_VIEW
    serializer_class = s.InspectionOutput
    queryset = Inspection.objects.none()
    lookup_value_regex = r"\d+"
    action_perms = {"create": RECORD}

    def get_object(self, perm: Perm | None = None) -> Inspection:
        return obtain(
            selectors.inspections_for(self.request.user),
            user=self.request.user,
            do=perm,
            pk=self.kwargs["pk"],
        )

    def _detail(self, inspection: Inspection) -> dict:
        targets = selectors.visible_targets(self.request.user, inspection)
        return s.InspectionDetailOutput(inspection, context={"targets": targets}).data

    def list(self, request):
        qs = selectors.inspections_for(request.user)
        year = whole(request.query_params.get("year", ""), digits=4)
        if year is not None:
            qs = qs.filter(year=year)
        page = self.paginate_queryset(qs.order_by("-year", "-starts_on", "-id"))
        return self.get_paginated_response(s.InspectionOutput(page, many=True).data)

    @extend_schema(responses=s.InspectionDetailOutput)
    def retrieve(self, request, pk: str):
        return Response(self._detail(self.get_object()))

    @extend_schema(request=s.InspectionInput, responses={201: s.InspectionDetailOutput})
    def create(self, request):
        data = _input(s.InspectionInput, request)
        policy.require(request.user, RECORD, data["unit"])
        inspection = services.inspection_create(by=request.user, **data)
        return Response(self._detail(inspection), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.InspectionUpdateInput, responses=s.InspectionDetailOutput)
    def update(self, request, pk: str):
        inspection = self.get_object(RECORD)
        data = _input(s.InspectionUpdateInput, request)
        inspection = services.inspection_update(inspection=inspection, by=request.user, **data)
        return Response(self._detail(inspection))


@extend_schema(tags=["activities"])
class TargetViewSet(PermRequired, AuditedViewSet):
    """An inspected unit of a programme: its findings and remedies; the inspecting side records them."""

    required_perm = Perm.ACTIVITY_VIEW
    serializer_class = s.TargetOutput
    queryset = Target.objects.none()
    lookup_value_regex = r"\d+"

    def get_object(self, perm: Perm | None = None) -> Target:
        return obtain(
            selectors.targets_for(self.request.user),
            user=self.request.user,
            do=perm,
            unit=lambda target: target.inspection.unit,
            pk=self.kwargs["pk"],
        )

    def retrieve(self, request, pk: str):
        return Response(s.TargetOutput(self.get_object()).data)

    @extend_schema(request=s.FindingsInput, responses=s.TargetOutput)
    @action(detail=True, methods=["post"])
    def findings(self, request, pk: str):
        """Record when the unit was inspected, the findings and the conclusion."""
        target = self.get_object(RECORD)
        data = _input(s.FindingsInput, request)
        target = services.findings_record(target=target, by=request.user, **data)
        return Response(s.TargetOutput(target).data)


@extend_schema(tags=["activities"])
class RemedyViewSet(PermRequired, mixins.ListModelMixin, AuditedViewSet):
    """Recommendations and remedies the user may see; the responsible unit records their follow-up."""

    required_perm = Perm.ACTIVITY_VIEW
    serializer_class = s.RemedyOutput
    queryset = Remedy.objects.none()
    lookup_value_regex = r"\d+"
    action_perms = {"create": RECORD, "follow_up": RECORD}

    def get_object(self, perm: Perm | None = None) -> Remedy:
        return obtain(
            selectors.remedies_for(self.request.user),
            user=self.request.user,
            do=perm,
            unit=lambda remedy: remedy.target.unit,
            pk=self.kwargs["pk"],
        )

    @extend_schema(parameters=[s.RemedyListParams], responses=s.RemedyOutput(many=True))
    def list(self, request):
        params = query_params(s.RemedyListParams, request)
        qs = selectors.remedies_for(request.user)
        if params.get("unit"):
            unit = unit_by_code(params["unit"])
            qs = qs.none() if unit is None else selectors.in_unit(qs, unit)
        if params.get("state"):
            qs = selectors.with_state(qs, params["state"])
        if params.get("year"):
            qs = qs.filter(target__inspection__year=params["year"])
        page = self.paginate_queryset(qs.order_by("due_on", "id"))
        return self.get_paginated_response(s.RemedyOutput(page, many=True).data)

    def retrieve(self, request, pk: str):
        return Response(s.RemedyOutput(self.get_object()).data)

    @extend_schema(request=s.RemedyInput, responses={201: s.RemedyOutput})
    def create(self, request):
        """A remedy required of an inspected unit (ACTIVITY_RECORD at the inspecting unit)."""
        data = _input(s.RemedyInput, request)
        target = selectors.targets_for(request.user).filter(pk=data.pop("target")).first()
        if target is None:
            raise DjangoValidationError({"target": _("There is no inspected unit with this id.")})
        policy.require(request.user, RECORD, target.inspection.unit)
        remedy = services.remedy_add(target=target, by=request.user, **data)
        return Response(s.RemedyOutput(remedy).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.FollowUpInput, responses=s.RemedyOutput)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk: str):
        """The follow-up of the remedy (ACTIVITY_RECORD at its responsible unit)."""
        remedy = self.get_object(RECORD)
        data = _input(s.FollowUpInput, request)
        remedy = services.remedy_follow_up(remedy=remedy, by=request.user, **data)
        return Response(s.RemedyOutput(remedy).data)
