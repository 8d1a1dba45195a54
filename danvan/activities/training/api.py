"""The training API (`/api/v1/activities/training-classes/`): the same rules as the pages, through the same
services and selectors. A user holding ACTIVITY_VIEW nowhere gets 403; a class outside the scope
answers 404; one seen without ACTIVITY_RECORD at its unit answers 403 to a change. A unit code in a
body is looked up among the units the user may record for: another one is "no unit with code"."""

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
from .models import TrainingClass
from .specs import AttendeeSpec, ClassSpec

_FIELDS = ["unit", "title", "topic", "organiser", "held_on", "ended_on", "place", "participants", "notes"]


@extend_schema(tags=["activities"])
class TrainingClassViewSet(PermRequired, mixins.ListModelMixin, AuditedViewSet):
    """Training classes of the units the user may see."""

    required_perm = Perm.ACTIVITY_VIEW
    action_perms = {
        "create": Perm.ACTIVITY_RECORD,
        "update": Perm.ACTIVITY_RECORD,
        "partial_update": Perm.ACTIVITY_RECORD,
        "destroy": Perm.ACTIVITY_RECORD,
    }
    serializer_class = s.ClassOutput
    queryset = TrainingClass.objects.none()
    lookup_value_regex = r"\d+"

    def get_object(self, perm: Perm | None = None) -> TrainingClass:
        return obtain(
            selectors.classes_for(self.request.user).select_related("unit"),
            user=self.request.user,
            do=perm,
            pk=self.kwargs["pk"],
        )

    def _input(self, *, partial: bool = False) -> dict:
        return validated(s.ClassInput, self.request, partial=partial, perm=Perm.ACTIVITY_RECORD)

    def _data(self, pk: int) -> dict:
        return s.ClassDetailOutput(selectors.class_detail(pk)).data

    @extend_schema(parameters=[s.ClassListParams], responses=s.ClassOutput(many=True))
    def list(self, request):
        """Classes, newest first; filtered by unit (its subtree, or itself with below=false), year, dates."""
        params = query_params(s.ClassListParams, request)
        unit = unit_by_code(params["unit"]) if params.get("unit") else None
        filters = selectors.Filters(
            unit=unit,
            below=params.get("below", True),
            year=params.get("year"),
            start=params.get("start"),
            end=params.get("end"),
        )
        qs = selectors.listed(request.user, filters)
        if params.get("unit") and unit is None:
            qs = qs.none()
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.ClassOutput(page, many=True).data)

    @extend_schema(responses=s.ClassDetailOutput)
    def retrieve(self, request, pk: str):
        """The class with its list of participants."""
        return Response(self._data(self.get_object().pk))

    @extend_schema(request=s.ClassInput, responses={201: s.ClassDetailOutput})
    def create(self, request):
        """Record a class (ACTIVITY_RECORD at its unit); the report figures of its period follow."""
        data = self._input()
        saved = services.class_save(spec=_spec(data), by=request.user)
        return Response(self._data(saved.pk), status=status.HTTP_201_CREATED)

    def _save(self, request, *, partial: bool) -> Response:
        item = self.get_object(Perm.ACTIVITY_RECORD)
        data = self._input(partial=partial)
        values = {name: getattr(item, name) for name in _FIELDS}
        values["attendees"] = None
        values.update(data)
        services.class_save(spec=_spec(values), training_class=item, by=request.user)
        return Response(self._data(item.pk))

    @extend_schema(request=s.ClassInput, responses=s.ClassDetailOutput)
    def update(self, request, pk: str):
        """Change the class: every field is given again."""
        return self._save(request, partial=False)

    @extend_schema(request=s.ClassInput, responses=s.ClassDetailOutput)
    def partial_update(self, request, pk: str):
        """Change the class: the fields left out keep their values."""
        return self._save(request, partial=True)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk: str):
        """Delete the class and its list; the report figures of its period follow."""
        services.class_delete(training_class=self.get_object(Perm.ACTIVITY_RECORD), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _spec(data: dict) -> ClassSpec:
    attendees = data.get("attendees")
    return ClassSpec(
        unit=data["unit"],
        title=data["title"],
        topic=data.get("topic", ""),
        organiser=data.get("organiser", ""),
        held_on=data["held_on"],
        ended_on=data.get("ended_on"),
        place=data.get("place", ""),
        participants=data["participants"],
        notes=data.get("notes", ""),
        attendees=None
        if attendees is None
        else [
            AttendeeSpec(name=a["name"], position=a.get("position", ""), unit_name=a.get("unit", ""))
            for a in attendees
        ],
    )
