"""The workplace API: `/api/v1/activities/staff-conferences/` and `/api/v1/activities/disclosures/`.

The same rules as the pages, through the same services: ACTIVITY_VIEW somewhere to use it (403
otherwise), a record outside the scope answers 404, one seen without ACTIVITY_RECORD at its unit 403.
A unit code in a body is looked up among the units where the user holds ACTIVITY_RECORD: another gets
the "no unit with code" message, like an unknown code. The services' refusals (quorum, majority, a
future date, a file of the wrong type) are 400 with their Vietnamese messages, nothing saved.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from danvan.accounts.api import PermRequired, validated
from danvan.accounts.permissions import obtain
from danvan.accounts.policy import Perm
from danvan.audit.api import AuditedViewSet
from danvan.core import uploads
from danvan.core.api import query_params
from danvan.orgs import selectors as org_selectors
from danvan.orgs.selectors import unit_by_code

from . import files, selectors, services
from . import serializers as s
from .models import Conference, Disclosure


def _input(serializer_class, request, *, partial: bool = False) -> dict:
    return validated(serializer_class, request, partial=partial, perm=Perm.ACTIVITY_RECORD)


def _filtered(qs: QuerySet, params: dict, day_field: str) -> QuerySet:
    if params.get("unit"):
        unit = unit_by_code(params["unit"])
        qs = qs.none() if unit is None else org_selectors.in_subtree(qs, unit.path, field="unit__path")
    if params.get("year"):
        qs = qs.filter(**{day_field: params["year"]})
    return qs


class _Base(PermRequired, mixins.ListModelMixin, AuditedViewSet):
    required_perm = Perm.ACTIVITY_VIEW
    action_perms = {
        "create": Perm.ACTIVITY_RECORD,
        "update": Perm.ACTIVITY_RECORD,
        "partial_update": Perm.ACTIVITY_RECORD,
        "destroy": Perm.ACTIVITY_RECORD,
    }
    lookup_value_regex = r"\d+"


@extend_schema(tags=["activities"])
class ConferenceViewSet(_Base):
    """Staff conferences of the agencies the user may see (one per agency and year reviewed)."""

    serializer_class = s.ConferenceOutput
    queryset = Conference.objects.none()
    action_perms = {**_Base.action_perms, "resolution": Perm.ACTIVITY_RECORD}

    def get_object(self, perm: Perm | None = None) -> Conference:
        return obtain(
            selectors.conferences_for(self.request.user),
            user=self.request.user,
            do=perm,
            pk=self.kwargs["pk"],
        )

    @extend_schema(parameters=[s.ListParams], responses=s.ConferenceOutput(many=True))
    def list(self, request):
        params = query_params(s.ListParams, request)
        qs = _filtered(selectors.conferences_for(request.user), params, "year")
        page = self.paginate_queryset(qs.order_by("-year", "unit__path", "id"))
        return self.get_paginated_response(s.ConferenceOutput(page, many=True).data)

    def retrieve(self, request, pk: str):
        return Response(s.ConferenceOutput(self.get_object()).data)

    def _save(self, request, conference: Conference | None, *, partial: bool) -> Conference:
        data = _input(s.ConferenceInput, request, partial=partial)
        values = (
            {name: getattr(conference, name) for name in services.CONFERENCE_FIELDS} if conference else {}
        )
        values.update(data)
        return services.conference_save(
            spec=services.ConferenceSpec(**values), conference=conference, by=request.user
        )

    @extend_schema(request=s.ConferenceInput, responses={201: s.ConferenceOutput})
    def create(self, request):
        return Response(s.ConferenceOutput(self._save(request, None, partial=False)).data, status=201)

    @extend_schema(request=s.ConferenceInput, responses=s.ConferenceOutput)
    def update(self, request, pk: str):
        conference = self.get_object(Perm.ACTIVITY_RECORD)
        return Response(s.ConferenceOutput(self._save(request, conference, partial=False)).data)

    @extend_schema(request=s.ConferenceInput, responses=s.ConferenceOutput)
    def partial_update(self, request, pk: str):
        conference = self.get_object(Perm.ACTIVITY_RECORD)
        return Response(s.ConferenceOutput(self._save(request, conference, partial=True)).data)

    def destroy(self, request, pk: str):
        services.conference_delete(conference=self.get_object(Perm.ACTIVITY_RECORD), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request={"multipart/form-data": s.ResolutionInput}, responses=s.ConferenceOutput)
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser])
    def resolution(self, request, pk: str):
        """Attach the adopted resolution's file (PDF or DOCX), replacing the one before."""
        conference = self.get_object(Perm.ACTIVITY_RECORD)
        data = _input(s.ResolutionInput, request)
        checked = uploads.check(data["file"], files.resolution_rules())
        values = {name: getattr(conference, name) for name in services.CONFERENCE_FIELDS}
        saved = services.conference_save(
            spec=services.ConferenceSpec(**values), conference=conference, upload=checked, by=request.user
        )
        return Response(s.ConferenceOutput(saved).data)


@extend_schema(tags=["activities"])
class DisclosureViewSet(_Base):
    """Disclosures to the staff of the agencies the user may see."""

    serializer_class = s.DisclosureOutput
    queryset = Disclosure.objects.none()

    def get_object(self, perm: Perm | None = None) -> Disclosure:
        return obtain(
            selectors.disclosures_for(self.request.user),
            user=self.request.user,
            do=perm,
            pk=self.kwargs["pk"],
        )

    @extend_schema(parameters=[s.ListParams], responses=s.DisclosureOutput(many=True))
    def list(self, request):
        params = query_params(s.ListParams, request)
        qs = _filtered(selectors.disclosures_for(request.user), params, "disclosed_on__year")
        page = self.paginate_queryset(qs.order_by("-disclosed_on", "-id"))
        return self.get_paginated_response(s.DisclosureOutput(page, many=True).data)

    def retrieve(self, request, pk: str):
        return Response(s.DisclosureOutput(self.get_object()).data)

    def _save(self, request, disclosure: Disclosure | None, *, partial: bool) -> Disclosure:
        data = _input(s.DisclosureInput, request, partial=partial)
        values = (
            {name: getattr(disclosure, name) for name in services.DISCLOSURE_FIELDS} if disclosure else {}
        )
        values.update(data)
        return services.disclosure_save(
            spec=services.DisclosureSpec(**values), disclosure=disclosure, by=request.user
        )

    @extend_schema(request=s.DisclosureInput, responses={201: s.DisclosureOutput})
    def create(self, request):
        return Response(s.DisclosureOutput(self._save(request, None, partial=False)).data, status=201)

    @extend_schema(request=s.DisclosureInput, responses=s.DisclosureOutput)
    def update(self, request, pk: str):
        disclosure = self.get_object(Perm.ACTIVITY_RECORD)
        return Response(s.DisclosureOutput(self._save(request, disclosure, partial=False)).data)

    @extend_schema(request=s.DisclosureInput, responses=s.DisclosureOutput)
    def partial_update(self, request, pk: str):
        disclosure = self.get_object(Perm.ACTIVITY_RECORD)
        return Response(s.DisclosureOutput(self._save(request, disclosure, partial=True)).data)

    def destroy(self, request, pk: str):
        services.disclosure_delete(disclosure=self.get_object(Perm.ACTIVITY_RECORD), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
