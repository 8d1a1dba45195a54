"""The units API: the organisation tree as of a date, each unit's history, and restructuring.

Reads go through the selectors and are narrowed by `policy.scope(... Perm.UNIT_VIEW ...)`: a unit
outside the user's scope answers 404. Writes go through the services, each after
`policy.require(...)` on every unit involved (the unit, the new parent, the merge target).

A unit the user may not even view is treated exactly like a code that does not exist: 404 when it
is named in the URL, the field's "no unit with code" message (400) when it is named in the body.
A unit the user may view but not change answers 403. A service's refusal answers 400 with its
message.
"""

import datetime

from django.db.models import F, Prefetch, Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from danvan.accounts import policy
from danvan.accounts.permissions import AtRoot, HoldsPerm, itself, obtain
from danvan.accounts.policy import Perm
from danvan.audit.api import AuditedViewSet
from danvan.core.api import JSONParser, body, query_params
from danvan.orgs import selectors, services
from danvan.orgs.models import MobilisationLead, Unit, UnitGroup, UnitType, UnitVersion

from . import serializers as s

# --- reading ------------------------------------------------------------------------------------


def _versions(day: datetime.date, *, include_dissolved: bool) -> QuerySet[UnitVersion]:
    """Versions in force on `day`, plus (if asked) the last version of each unit ended by then."""
    qs = selectors.versions_on(day)
    if include_dissolved:
        qs = qs | UnitVersion.objects.filter(unit__valid_to__lte=day, valid_to=F("unit__valid_to"))
    return qs


def _with_details(qs: QuerySet[UnitVersion], day: datetime.date) -> QuerySet[UnitVersion]:
    leads = MobilisationLead.objects.filter(assigned_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )
    return qs.select_related("unit", "unit_type", "parent").prefetch_related(
        "groups", Prefetch("unit__leads", queryset=leads, to_attr="leads_on")
    )


def _unit(request, code: str, do: Perm | None = None) -> Unit:
    """The unit named in the URL: 404 if the user may not see it, 403 if they may not `do` this."""
    return obtain(selectors.units_for(request.user), user=request.user, do=do, unit=itself, code=code)


def _body(serializer_class, request) -> dict:
    """The validated body; every unit code in it is looked up among the units the user may view,
    so a unit outside their scope gets the same "no unit with code" message as an unknown code."""

    def visible(qs: QuerySet) -> QuerySet:
        return policy.scope(request.user, Perm.UNIT_VIEW, qs, field="path") if qs.model is Unit else qs

    return body(serializer_class, request, narrow=visible)


def _parent_on(unit: Unit, day: datetime.date) -> Unit | None:
    version = selectors.version_of(unit, day)
    return version.parent if version is not None else None


@extend_schema(tags=["units"])
class UnitViewSet(AuditedViewSet):
    """Units of the organisation tree, named by code, as they stood on `as_of` (default: today)."""

    queryset = Unit.objects.none()  # routes are about units; records are read through the selectors
    permission_classes = [HoldsPerm]
    action_perms = {"create": Perm.UNIT_RESTRUCTURE}  # then at the parent, once the body is read
    serializer_class = s.UnitOutput
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def _as_of(self) -> datetime.date:
        return query_params(s.AsOfParams, self.request).get("as_of") or selectors.today()

    def _unit_data(self, unit: Unit, day: datetime.date) -> dict:
        version = _with_details(_versions(day, include_dissolved=True).filter(unit=unit), day).first()
        if version is None:
            raise NotFound
        return s.UnitOutput(version, context={"as_of": day}).data

    def _page(self, qs: QuerySet[UnitVersion], day: datetime.date, *, child_counts: bool = False) -> Response:
        qs = policy.scope(self.request.user, Perm.UNIT_VIEW, qs, field="unit__path")
        page = self.paginate_queryset(_with_details(qs, day))
        output = s.UnitOutput
        if child_counts:
            page, output = selectors.with_child_counts(page, day), s.UnitChildOutput
        return self.get_paginated_response(output(page, many=True, context={"as_of": day}).data)

    @extend_schema(parameters=[s.UnitListParams], responses=s.UnitOutput(many=True))
    def list(self, request):
        params = query_params(s.UnitListParams, request)
        day = params.get("as_of") or selectors.today()
        qs = _versions(day, include_dissolved=params["include_dissolved"])
        if params.get("parent"):
            qs = qs.filter(parent__code=params["parent"])
        if params.get("type"):
            qs = qs.filter(unit_type__code=params["type"])
        if params.get("group"):
            qs = qs.filter(groups__code=params["group"])
        if params.get("q"):
            qs = selectors.search(params["q"], within=qs)
        return self._page(qs.order_by("depth", "sort_name", "unit_id"), day)

    @extend_schema(parameters=[s.AsOfParams], responses=s.UnitOutput)
    def retrieve(self, request, code: str):
        day = self._as_of()
        return Response(self._unit_data(_unit(request, code), day))

    @extend_schema(parameters=[s.AsOfParams], responses=s.UnitOutput(many=True))
    @action(detail=True, methods=["get"])
    def descendants(self, request, code: str):
        """Every unit under this one (at any depth) as the tree stood on the date."""
        day = self._as_of()
        unit = _unit(request, code)
        return self._page(selectors.descendants(unit, day).order_by("path"), day)

    @extend_schema(parameters=[s.AsOfParams], responses=s.UnitChildOutput(many=True))
    @action(detail=True, methods=["get"])
    def children(self, request, code: str):
        """The units directly under this one on the date, in Vietnamese alphabetical order."""
        day = self._as_of()
        unit = _unit(request, code)
        return self._page(
            selectors.children(unit, day).order_by("sort_name", "unit_id"), day, child_counts=True
        )

    @extend_schema(responses=s.HistoryOutput)
    @action(detail=True, methods=["get"])
    def history(self, request, code: str):
        """The unit's versions, restructuring events, predecessors and successors."""
        unit = _unit(request, code)
        return Response(s.HistoryOutput({"code": unit.code, **selectors.history(unit)}).data)

    # --- restructuring (Perm.UNIT_RESTRUCTURE) ------------------------------------------------

    @extend_schema(request=s.UnitCreateInput, responses={201: s.UnitOutput})
    def create(self, request):
        """Create a unit under a parent (or, for administrators of a whole tree, a new root)."""
        data = _body(s.UnitCreateInput, request)
        policy.require(request.user, Perm.UNIT_RESTRUCTURE, data["parent"])
        unit = services.unit_create(
            spec=s.new_unit(data), valid_from=data["valid_from"], by=request.user, decision=data["decision"]
        )
        return Response(self._unit_data(unit, data["valid_from"]), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.UnitChangeInput, responses=s.UnitOutput)
    @action(detail=True, methods=["post"])
    def change(self, request, code: str):
        """Rename the unit or change its type or groups from a date."""
        unit = _unit(request, code, Perm.UNIT_RESTRUCTURE)
        data = _body(s.UnitChangeInput, request)
        services.unit_change(
            unit=unit,
            effective_on=data["effective_on"],
            name=data.get("name"),
            short_name=data.get("short_name"),
            unit_type=data.get("type"),
            groups=data.get("groups"),
            by=request.user,
            decision=data["decision"],
        )
        return Response(self._unit_data(unit, data["effective_on"]))

    @extend_schema(request=s.UnitMoveInput, responses=s.UnitOutput)
    @action(detail=True, methods=["post"])
    def move(self, request, code: str):
        """Move the unit, with everything under it, to another parent from a date."""
        unit = _unit(request, code, Perm.UNIT_RESTRUCTURE)
        data = _body(s.UnitMoveInput, request)
        policy.require(request.user, Perm.UNIT_RESTRUCTURE, data["parent"])
        services.unit_move(
            unit=unit,
            new_parent=data["parent"],
            effective_on=data["effective_on"],
            by=request.user,
            decision=data["decision"],
        )
        return Response(self._unit_data(unit, data["effective_on"]))

    @extend_schema(request=s.UnitMergeInput, responses=s.UnitOutput)
    @action(detail=True, methods=["post"])
    def merge(self, request, code: str):
        """Merge this unit (and `units`) into an existing unit (`into`) or a new one (`new`)."""
        unit = _unit(request, code, Perm.UNIT_RESTRUCTURE)
        data = _body(s.UnitMergeInput, request)
        day = data["effective_on"]
        merged = [unit, *data["units"]]
        for other in data["units"]:
            policy.require(request.user, Perm.UNIT_RESTRUCTURE, other)
        new = s.new_unit(data["new"]) if data["new"] is not None else None
        if data["into"] is not None:
            policy.require(request.user, Perm.UNIT_RESTRUCTURE, data["into"])
        if new is not None:
            policy.require(request.user, Perm.UNIT_RESTRUCTURE, new.parent or _parent_on(unit, day))
        successor = services.unit_merge(
            units=merged,
            effective_on=day,
            into=data["into"],
            new=new,
            by=request.user,
            decision=data["decision"],
        )
        return Response(self._unit_data(successor, day))

    @extend_schema(request=s.UnitSplitInput, responses={201: s.UnitOutput(many=True)})
    @action(detail=True, methods=["post"], pagination_class=None)
    def split(self, request, code: str):
        """Split the unit into new units from a date; it ends that day."""
        unit = _unit(request, code, Perm.UNIT_RESTRUCTURE)
        data = _body(s.UnitSplitInput, request)
        day = data["effective_on"]
        specs = [s.new_unit(item) for item in data["into"]]
        for spec in specs:
            parent = spec.parent if spec.parent not in (None, unit) else _parent_on(unit, day)
            policy.require(request.user, Perm.UNIT_RESTRUCTURE, parent)
        successors = services.unit_split(
            unit=unit,
            effective_on=day,
            into=specs,
            children=data["children"],
            by=request.user,
            decision=data["decision"],
        )
        return Response(
            [self._unit_data(successor, day) for successor in successors], status=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.EffectiveInput, responses=s.UnitOutput)
    @action(detail=True, methods=["post"])
    def dissolve(self, request, code: str):
        """End the unit from a date (the first day it no longer exists)."""
        unit = _unit(request, code, Perm.UNIT_RESTRUCTURE)
        data = _body(s.EffectiveInput, request)
        services.unit_dissolve(
            unit=unit, effective_on=data["effective_on"], by=request.user, decision=data["decision"]
        )
        return Response(self._unit_data(unit, data["effective_on"]))

    # --- the unit's own records (Perm.UNIT_EDIT) -------------------------------------------------

    @extend_schema(request=s.LeadInput, responses={201: s.LeadOutput})
    @action(detail=True, methods=["post"])
    def lead(self, request, code: str):
        """Name the unit's mobilisation lead from a date; the previous lead's term ends that day."""
        unit = _unit(request, code, Perm.UNIT_EDIT)
        data = _body(s.LeadInput, request)
        lead = services.lead_assign(unit=unit, **data, by=request.user)
        return Response(s.LeadOutput(lead).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RegulationInput, responses=s.UnitOutput)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, parsers.MultiPartParser])
    def regulation(self, request, code: str):
        """Record the unit's coordination regulation (number, date signed, optionally the document)."""
        unit = _unit(request, code, Perm.UNIT_EDIT)
        data = _body(s.RegulationInput, request)
        services.regulation_set(
            unit=unit,
            number=data["regulation_number"],
            signed_on=data["regulation_signed_on"],
            file=data["regulation_file"],
            by=request.user,
        )
        return Response(self._unit_data(unit, max(selectors.today(), unit.valid_from)))


class _CatalogueViewSet(mixins.ListModelMixin, AuditedViewSet):
    """A catalogue every signed-in user reads and only administrators of a whole tree extend."""

    permission_classes = [HoldsPerm]
    action_perms = {"create": AtRoot(Perm.UNIT_RESTRUCTURE)}

    def create(self, request):
        data = body(self.serializer_class, request)
        entry = self.queryset.model.objects.create(**data)
        return Response(self.serializer_class(entry).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["units"])
class UnitTypeViewSet(_CatalogueViewSet):
    queryset = UnitType.objects.all()
    serializer_class = s.UnitTypeSerializer


@extend_schema(tags=["units"])
class UnitGroupViewSet(_CatalogueViewSet):
    queryset = UnitGroup.objects.all()
    serializer_class = s.UnitGroupSerializer
