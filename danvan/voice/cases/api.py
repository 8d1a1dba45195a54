"""The cases API (`/api/v1/cases/`; the deadline rules are `deadlines.api`).

- Reading: cases of the units where the user holds `Perm.CASE_VIEW` (`policy.scope`), each with
  its clocks, extensions, pauses and the links to cases the user may also see; its history under
  `/cases/{id}/events/` and its clocks under `/cases/{id}/clocks/`. A user who holds CASE_VIEW
  nowhere (viewers, reporters) gets 403 everywhere; a case outside the user's scope answers 404,
  exactly like one that does not exist.
- Writing: staff intake (`POST /cases/`, `Perm.CASE_HANDLE` at the unit) and one POST endpoint per
  action declared in `workflow.ACTIONS` (`/cases/{id}/accept/` …), each calling its service once
  `obtain(…, do=CASE_HANDLE)` has found the case (404 unseen; 403 when the case is visible but the
  user may not act on it). Who may call at all is `HoldsPerm` (`required_perm`, `action_perms`). A service's refusal answers 400 with its Vietnamese messages per field. A link
  writes history on both cases: CASE_HANDLE is needed at both units (403), and a case the user
  may not see answers like one that does not exist (400 on `other`).
- Never any identity: no response carries the submitter's name, address, phone, e-mail or
  identity document, whoever asks (see serializers.py). The intake takes them, write-only.
- A transfer may name any active unit of the tree (the competent unit is often outside the
  handler's own subtree); a unit code that does not exist answers 400 with the field's message.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from danvan.accounts import policy
from danvan.accounts.permissions import HoldsPerm, obtain
from danvan.accounts.policy import Perm
from danvan.audit.api import AuditedViewSet
from danvan.core.api import body, query_params
from danvan.core.paths import path_upper_bound
from danvan.orgs.models import Unit
from danvan.orgs.selectors import unit_by_code

from . import selectors, services, workflow
from . import serializers as s
from .models import Case, CaseEvent, CaseLink, Clock
from .selectors import visible_cases

Action = CaseEvent.Action


def _today() -> datetime.date:
    return timezone.localdate()


def _annotated(qs: QuerySet[Case]) -> QuerySet[Case]:
    running = Clock.objects.filter(case=OuterRef("pk"), stopped_on__isnull=True)
    return qs.select_related("unit").annotate(
        api_overdue=Exists(running.filter(due_on__lt=_today())),
        api_next_due=Subquery(running.order_by("due_on").values("due_on")[:1]),
    )


def _filtered(qs: QuerySet[Case], params: dict) -> QuerySet[Case]:
    if params.get("unit"):
        unit = unit_by_code(params["unit"])
        if unit is None:
            return qs.none()
        qs = qs.filter(unit__path__gte=unit.path, unit__path__lt=path_upper_bound(unit.path))
    for field in ("kind", "state", "channel"):
        if params.get(field):
            qs = qs.filter(**{field: params[field]})
    if params.get("received_from"):
        qs = qs.filter(received_on__gte=params["received_from"])
    if params.get("received_to"):
        qs = qs.filter(received_on__lte=params["received_to"])
    if params.get("overdue") is not None:
        qs = qs.filter(api_overdue=params["overdue"])
    return qs


def _action(spec: workflow.ActionSpec, input_class, run):
    """`POST /cases/{id}/<action>/`: the case must be visible (404) and the user a handler at its unit (403)."""

    def view(self, request, pk: str):
        case = self.case_to_handle()
        data = body(input_class, request)
        run(self, case, data, request.user)
        return Response(self.case_data(case.pk, check_scope=False))

    name = str(spec.action)
    view.__name__ = name
    view.__doc__ = spec.summary
    view = action(detail=True, methods=["post"], url_path=name, url_name=name)(view)
    return extend_schema(request=input_class, responses=s.CaseDetailOutput, summary=spec.summary)(view)


def _day(data: dict) -> datetime.date:
    return data.get("day") or _today()


def _classify(view, case: Case, data: dict, user) -> None:
    spec = services.Classification(
        kind=data.get("kind", case.kind),
        is_complex=data.get("is_complex", case.is_complex),
        is_especially_complex=data.get("is_especially_complex", case.is_especially_complex),
        is_remote=data.get("is_remote", case.is_remote),
        is_over_level=data.get("is_over_level", case.is_over_level),
        people_count=data.get("people_count", case.people_count),
        reason=data["reason"],
    )
    services.case_classify(case=case, spec=spec, by=user)


def _assign(view, case: Case, data: dict, user) -> None:
    handler = None
    if data["handler"] is not None:
        handler = get_user_model().objects.filter(pk=data["handler"], is_active=True).first()
        if handler is None:  # the same answer as a user who does not handle the unit's cases
            raise DjangoValidationError(
                {"handler": _("This person does not handle cases of %(unit)s.") % {"unit": case.unit.name}}
            )
    services.case_assign(case=case, handler=handler, by=user)


def _link(view, case: Case, data: dict, user) -> None:
    """Linking writes history on both cases: CASE_HANDLE at both units (as selectors.may_act says).

    A case the user may not even see answers like one that does not exist (400 on the field)."""
    other = visible_cases(user).select_related("unit").filter(pk=data["other"]).first()
    if other is None:
        raise DjangoValidationError({"other": _("There is no case with id %(id)s.") % {"id": data["other"]}})
    policy.require(user, Perm.CASE_HANDLE, other.unit)
    services.case_link(case=case, other=other, kind=data["kind"], by=user)


# What each declared action (`workflow.ACTIONS`) takes and which service it calls.
ENDPOINTS = {
    Action.CLASSIFY: (s.ClassifyInput, _classify),
    Action.ASSIGN: (s.AssignInput, _assign),
    Action.ACCEPT: (
        s.DayInput,
        lambda view, case, data, user: services.case_accept(case=case, day=_day(data), by=user),
    ),
    Action.REJECT: (
        s.RejectInput,
        lambda view, case, data, user: services.case_reject(
            case=case, day=_day(data), reason=data["reason"], public_note=data["public_note"], by=user
        ),
    ),
    Action.TRANSFER: (
        s.TransferInput,
        lambda view, case, data, user: services.case_transfer(
            case=case, to_unit=data["to_unit"], day=_day(data), reason=data["reason"], by=user
        ),
    ),
    Action.NOTIFY: (
        s.DayInput,
        lambda view, case, data, user: services.case_notify(case=case, day=_day(data), by=user),
    ),
    Action.VERIFY: (
        s.DayInput,
        lambda view, case, data, user: services.case_verify(case=case, day=_day(data), by=user),
    ),
    Action.EXTEND: (
        s.ExtendInput,
        lambda view, case, data, user: services.case_extend(
            case=case,
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            reason=data["reason"],
            by=user,
        ),
    ),
    Action.PAUSE: (
        s.ReasonInput,
        lambda view, case, data, user: services.case_pause(
            case=case, day=_day(data), reason=data["reason"], by=user
        ),
    ),
    Action.RESUME: (
        s.DayInput,
        lambda view, case, data, user: services.case_resume(case=case, day=_day(data), by=user),
    ),
    Action.RESOLVE: (
        s.ResolveInput,
        lambda view, case, data, user: services.case_resolve(
            case=case,
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            summary=data["summary"],
            public_note=data["public_note"],
            by=user,
        ),
    ),
    Action.CLOSE: (
        s.DayInput,
        lambda view, case, data, user: services.case_close(case=case, day=_day(data), by=user),
    ),
    Action.WITHDRAW: (
        s.ReasonInput,
        lambda view, case, data, user: services.case_withdraw(
            case=case, day=_day(data), reason=data["reason"], by=user
        ),
    ),
    Action.LINK: (s.LinkInput, _link),
}


def _with_actions(viewset: type) -> type:
    """Give `viewset` one endpoint per declared action (a declared action without an entry fails here)."""
    for spec in workflow.ACTIONS:
        setattr(viewset, str(spec.action), _action(spec, *ENDPOINTS[spec.action]))
    return viewset


@extend_schema(tags=["cases"])
@_with_actions
class CaseViewSet(mixins.ListModelMixin, AuditedViewSet):
    """Complaints, denunciations, petitions, feedback and suggestions of the units the user may see."""

    serializer_class = s.CaseOutput
    queryset = Case.objects.none()
    lookup_value_regex = r"\d+"
    permission_classes = [HoldsPerm]
    required_perm = Perm.CASE_VIEW
    action_perms = {"create": Perm.CASE_HANDLE}  # whoever handles cases somewhere also sees them there

    def get_queryset(self):
        return _annotated(visible_cases(self.request.user))

    def get_object(self, *, do: Perm | None = None) -> Case:
        """The case named in the URL: 404 unless the user may see it; with `do`, 403 unless they may
        also do that at its unit."""
        return obtain(visible_cases(self.request.user), user=self.request.user, do=do, pk=self.kwargs["pk"])

    def case_to_handle(self) -> Case:
        return self.get_object(do=Perm.CASE_HANDLE)

    def case_data(self, pk: int, *, check_scope: bool = True, serializer=s.CaseDetailOutput, **extra) -> dict:
        """The case as the detail output. After an action (a transfer may take the case out of the
        user's scope) the case is read without the scope: the user has just acted on it."""
        base = visible_cases(self.request.user) if check_scope else Case.objects.all()
        case = (
            _annotated(base)
            .prefetch_related(
                Prefetch("clocks", queryset=Clock.objects.select_related("unit", "rule")),
                "extensions",
                "pauses",
                Prefetch("links", queryset=CaseLink.objects.select_related("other")),
            )
            .get(pk=pk)
        )
        for name, value in extra.items():
            setattr(case, name, value)
        visible = selectors.shown_links(self.request.user, case, list(case.links.all()))
        return serializer(case, context={"visible_cases": visible}).data

    # --- reading ------------------------------------------------------------------------------

    @extend_schema(parameters=[s.CaseListParams], responses=s.CaseOutput(many=True))
    def list(self, request):
        """Cases, newest first, filtered by unit (its subtree), kind, state, channel, dates, overdue."""
        params = query_params(s.CaseListParams, request)
        qs = _filtered(self.get_queryset(), params).order_by("-received_on", "-id")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.CaseOutput(page, many=True).data)

    @extend_schema(responses=s.CaseDetailOutput)
    def retrieve(self, request, pk: str):
        """The case file with its clocks, extensions, pauses and links (never who sent it)."""
        return Response(self.case_data(self.get_object().pk))

    @extend_schema(responses=s.CaseEventOutput(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, pk: str):
        """The case's history, oldest first: who did what, when and why."""
        case = self.get_object()
        events = CaseEvent.objects.filter(case=case).select_related("unit").order_by("at", "id")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(s.CaseEventOutput(page, many=True).data)

    @extend_schema(responses=s.CaseClockOutput(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def clocks(self, request, pk: str):
        """The statutory periods of the case, at every unit it went through."""
        case = self.get_object()
        clocks = Clock.objects.filter(case=case).select_related("unit", "rule").order_by("started_on", "id")
        return Response(s.CaseClockOutput(clocks, many=True).data)

    # --- intake -------------------------------------------------------------------------------

    @extend_schema(request=s.CaseCreateInput, responses={201: s.CaseCreatedOutput})
    def create(self, request):
        """Record a submission received by staff (desk, post, hotline, box …) at a unit."""

        def visible_units(qs: QuerySet) -> QuerySet:
            return policy.scope(request.user, Perm.CASE_VIEW, qs, field="path") if qs.model is Unit else qs

        data = body(s.CaseCreateInput, request, narrow=visible_units)
        policy.require(request.user, Perm.CASE_HANDLE, data["unit"])
        spec = services.NewCase(
            unit=data["unit"],
            kind=data["kind"],
            channel=data["channel"],
            subject=data["subject"],
            content=data["content"],
            received_on=data["received_on"] or _today(),
            people_count=data["people_count"],
            anonymous=data["anonymous"],
            identity=dict(data["identity"] or {}),
            is_over_level=data["is_over_level"],
        )
        case, code = services.case_receive(
            spec=spec, by=request.user, with_tracking_code=data["with_tracking_code"]
        )
        output = self.case_data(case.pk, serializer=s.CaseCreatedOutput, tracking_code=code)
        return Response(output, status=status.HTTP_201_CREATED)
