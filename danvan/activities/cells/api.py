"""The thematic cell meetings API (`/api/v1/activities/cell-meetings/`).

The same rules as the pages, through the same services and selectors: a meeting is seen with
ACTIVITY_VIEW at its cell or above (one outside answers 404), recorded, changed and deleted with
ACTIVITY_RECORD there (403 for a meeting seen without it). A unit named in the body is looked up
among the units where the user records activities: one outside that scope is refused like an
unknown code. The services say what the data must satisfy (a party cell, a date not in the future,
whole numbers from 0): 400 with their Vietnamese messages, nothing saved.
"""

import datetime

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from danvan.accounts.api import PermRequired, validated
from danvan.accounts.permissions import obtain
from danvan.accounts.policy import Perm
from danvan.audit.api import AuditedViewSet
from danvan.core.api import query_params
from danvan.orgs.models import Unit
from danvan.orgs.selectors import units_for

from . import selectors, services
from . import serializers as s
from .models import Meeting


def _input(request, *, partial: bool = False, current: Meeting | None = None) -> services.MeetingSpec:
    data = validated(s.MeetingInput, request, partial=partial, perm=Perm.ACTIVITY_RECORD)
    values = services.MeetingSpec.values_of(current) if current is not None else {}
    values.update(data)
    return services.MeetingSpec(
        unit=values.get("unit"),
        held_on=values.get("held_on"),
        topic=values.get("topic", ""),
        attendees=values.get("attendees"),
        expected=values.get("expected"),
        notes=values.get("notes", ""),
    )


def _unit(user, code: str) -> Unit:
    return obtain(units_for(user, Perm.ACTIVITY_VIEW), user=user, code__iexact=code.strip())


@extend_schema(tags=["activities"])
class MeetingViewSet(PermRequired, AuditedViewSet):
    """Thematic cell meetings on mobilisation of the cells the user may see."""

    required_perm = Perm.ACTIVITY_VIEW
    action_perms = {"create": Perm.ACTIVITY_RECORD}
    serializer_class = s.MeetingOutput
    queryset = Meeting.objects.none()
    lookup_value_regex = r"\d+"

    def get_object(self, perm: Perm | None = None) -> Meeting:
        return obtain(
            selectors.meetings_for(self.request.user), user=self.request.user, do=perm, pk=self.kwargs["pk"]
        )

    @extend_schema(parameters=[s.MeetingListParams], responses=s.MeetingOutput(many=True))
    def list(self, request):
        """Meetings, the most recent first; `unit` (its subtree), `year`, `from`, `to` (dates) filter them."""
        params = query_params(s.MeetingListParams, request)
        unit = _unit(request.user, params["unit"]) if params.get("unit") else None
        start = end = None
        if params.get("year"):
            start, end = datetime.date(params["year"], 1, 1), datetime.date(params["year"], 12, 31)
        start = params.get("from") or start
        end = params.get("to") or end
        qs = selectors.meetings_filtered(request.user, unit=unit, start=start, end=end)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.MeetingOutput(page, many=True).data)

    @extend_schema(responses=s.MeetingOutput)
    def retrieve(self, request, pk: str):
        return Response(s.MeetingOutput(self.get_object()).data)

    @extend_schema(request=s.MeetingInput, responses={201: s.MeetingOutput})
    def create(self, request):
        """Record a meeting (ACTIVITY_RECORD at the cell)."""
        meeting = services.meeting_create(spec=_input(request), by=request.user)
        return Response(s.MeetingOutput(meeting).data, status=status.HTTP_201_CREATED)

    def _save(self, request, *, partial: bool) -> Response:
        meeting = self.get_object(Perm.ACTIVITY_RECORD)
        spec = _input(request, partial=partial, current=meeting)
        meeting = services.meeting_update(meeting=meeting, spec=spec, by=request.user)
        return Response(s.MeetingOutput(meeting).data)

    @extend_schema(request=s.MeetingInput, responses=s.MeetingOutput)
    def update(self, request, pk: str):
        return self._save(request, partial=False)

    @extend_schema(request=s.MeetingInput, responses=s.MeetingOutput)
    def partial_update(self, request, pk: str):
        return self._save(request, partial=True)

    def destroy(self, request, pk: str):
        services.meeting_delete(meeting=self.get_object(Perm.ACTIVITY_RECORD), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[s.CoverageParams], responses=s.CellCoverageOutput)
    @action(detail=False, methods=["get"])
    def coverage(self, request):
        """The cells of a unit (default: the user's top unit) and whether each met in the year."""
        params = query_params(s.CoverageParams, request)
        unit = (
            _unit(request.user, params["unit"])
            if params.get("unit")
            else selectors.default_unit(request.user)
        )
        year = params.get("year") or selectors.today().year
        result = selectors.coverage(unit, year) if unit is not None else None
        lines = result.lines if result is not None else []

        def cell(line) -> dict:
            return {"unit": line.version.unit.code, "name": line.version.name, "meetings": len(line.meetings)}

        return Response(
            {
                "unit": unit.code if unit is not None else "",
                "year": year,
                "cells": len(lines),
                "with_meeting": sum(1 for line in lines if line.covered),
                "rate": result.rate if result is not None else "",
                "covered": [cell(line) for line in lines if line.covered],
                "missing": [cell(line) for line in lines if not line.covered],
            }
        )
