"""The mediation API (`/api/v1/activities/mediation/teams/`, `/api/v1/activities/mediation/cases/`): the same rules as the
pages, through the same services and selectors.

A record is seen with ACTIVITY_VIEW at its unit or above (404 outside that scope, like one that does
not exist) and written with ACTIVITY_RECORD there (403). A unit named in a body is looked up among
the units where the user holds ACTIVITY_RECORD: one outside gets the “no unit with code” message.
A team is created with its first mediators in one call (at least three, a woman among them); the
services' refusals are 400 with their Vietnamese messages, nothing saved.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from danvan.accounts.api import PermRequired, validated
from danvan.accounts.permissions import obtain
from danvan.accounts.policy import Perm
from danvan.audit.api import AuditedViewSet
from danvan.core.api import query_params
from danvan.orgs.selectors import in_subtree, unit_by_code

from . import selectors, services
from . import serializers as s
from .models import Case, Mediator, Team


def _input(serializer_class, request, *, partial: bool = False) -> dict:
    def teams(qs: QuerySet) -> QuerySet:
        return selectors.teams_for(request.user, Perm.ACTIVITY_RECORD) if qs.model is Team else qs

    return validated(serializer_class, request, partial=partial, narrow=teams, perm=Perm.ACTIVITY_RECORD)


def _mediator(data: dict) -> services.MediatorSpec:
    return services.MediatorSpec(
        **{key: data[key] for key in ("name", "sex", "recognised_on", "trained", "trained_on", "leader")}
    )


def _team_data(pk: int) -> dict:
    return s.TeamOutput(Team.objects.select_related("unit").prefetch_related("mediators").get(pk=pk)).data


@extend_schema(tags=["mediation"])
class TeamViewSet(PermRequired, mixins.ListModelMixin, AuditedViewSet):
    """Mediation teams of the units the user may see, with their mediators."""

    required_perm = Perm.ACTIVITY_VIEW
    serializer_class = s.TeamOutput
    queryset = Team.objects.none()
    lookup_value_regex = r"\d+"
    action_perms = {"create": Perm.ACTIVITY_RECORD, "mediators": Perm.ACTIVITY_RECORD}

    def get_object(self, perm: Perm | None = None) -> Team:
        return obtain(
            selectors.teams_for(self.request.user).select_related("unit"),
            user=self.request.user,
            do=perm,
            pk=self.kwargs["pk"],
        )

    @extend_schema(parameters=[s.TeamListParams], responses=s.TeamOutput(many=True))
    def list(self, request):
        params = query_params(s.TeamListParams, request)
        qs = selectors.teams_for(request.user)
        if params.get("unit"):
            unit = unit_by_code(params["unit"])
            qs = qs.none() if unit is None else in_subtree(qs, unit.path, field="unit__path")
        page = self.paginate_queryset(
            qs.select_related("unit").prefetch_related("mediators").order_by("unit__path", "name", "id")
        )
        return self.get_paginated_response(s.TeamOutput(page, many=True).data)

    @extend_schema(responses=s.TeamOutput)
    def retrieve(self, request, pk: str):
        return Response(_team_data(self.get_object().pk))

    @extend_schema(request=s.TeamInput, responses={201: s.TeamOutput})
    def create(self, request):
        """A team with its first mediators (at least three, a woman among them: khoản 1 Điều 12)."""
        data = _input(s.TeamInput, request)
        team = services.team_create(
            spec=services.TeamSpec(
                unit=data["unit"],
                name=data["name"],
                place=data["place"],
                established_on=data["established_on"],
            ),
            mediators=[_mediator(item) for item in data["mediators"]],
            by=request.user,
        )
        return Response(_team_data(team.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MediatorInput, responses={201: s.TeamOutput})
    @action(detail=True, methods=["post"])
    def mediators(self, request, pk: str):
        """Add a mediator to the team."""
        team = self.get_object(Perm.ACTIVITY_RECORD)
        data = _input(s.MediatorInput, request)
        services.mediator_add(team=team, spec=_mediator(data), by=request.user)
        return Response(_team_data(team.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.TeamOutput})
    @action(detail=True, methods=["delete"], url_path=r"mediators/(?P<mediator_pk>\d+)")
    def remove_mediator(self, request, pk: str, mediator_pk: str):
        """Remove a mediator, unless the team would break its rule."""
        team = self.get_object(Perm.ACTIVITY_RECORD)
        mediator = obtain(
            Mediator.objects.filter(team=team), user=request.user, unit=lambda m: team.unit, pk=mediator_pk
        )
        services.mediator_remove(mediator=mediator, by=request.user)
        return Response(_team_data(team.pk))


@extend_schema(tags=["mediation"])
class CaseViewSet(PermRequired, mixins.ListModelMixin, AuditedViewSet):
    """The mediation register: lines of the units the user may see."""

    required_perm = Perm.ACTIVITY_VIEW
    serializer_class = s.MediationCaseOutput
    queryset = Case.objects.none()
    lookup_value_regex = r"\d+"
    action_perms = {"create": Perm.ACTIVITY_RECORD}

    def get_object(self, perm: Perm | None = None) -> Case:
        return obtain(
            selectors.cases_for(self.request.user).select_related("unit", "team"),
            user=self.request.user,
            do=perm,
            pk=self.kwargs["pk"],
        )

    @extend_schema(parameters=[s.CaseListParams], responses=s.MediationCaseOutput(many=True))
    def list(self, request):
        """By date received; filters: unit (its subtree), result, from/to (received), year."""
        params = query_params(s.CaseListParams, request)
        unit = None
        qs = selectors.cases_for(request.user)
        if params.get("unit"):
            unit = unit_by_code(params["unit"])
            if unit is None:
                qs = qs.none()
        wanted = selectors.CaseFilter(
            unit=unit,
            result=params.get("result", ""),
            start=params.get("from"),
            end=params.get("to"),
            year=params.get("year"),
        )
        qs = selectors.filter_cases(qs, wanted).select_related("unit").order_by("received_on", "id")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.MediationCaseOutput(page, many=True).data)

    @extend_schema(responses=s.MediationCaseOutput)
    def retrieve(self, request, pk: str):
        return Response(s.MediationCaseOutput(self.get_object()).data)

    def _spec(self, data: dict) -> services.CaseSpec:
        return services.CaseSpec.of(data, mediators=list(data["mediators"]))

    @extend_schema(request=s.MediationCaseInput, responses={201: s.MediationCaseOutput})
    def create(self, request):
        case = services.case_record(spec=self._spec(_input(s.MediationCaseInput, request)), by=request.user)
        return Response(s.MediationCaseOutput(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MediationCaseInput, responses=s.MediationCaseOutput)
    def update(self, request, pk: str):
        """Correct the line: every field is given again."""
        case = self.get_object(Perm.ACTIVITY_RECORD)
        case = services.case_update(
            case=case, spec=self._spec(_input(s.MediationCaseInput, request)), by=request.user
        )
        return Response(s.MediationCaseOutput(case).data)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk: str):
        services.case_delete(case=self.get_object(Perm.ACTIVITY_RECORD), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
