"""The reports API: the catalogue, data values, reports and their workflow, and analytics.

- Catalogue (data elements, indicators, targets, report forms): read by anyone who holds
  REPORT_VIEW somewhere; changed only by holders of CATALOGUE_MANAGE at a root. After a change of
  targets or indicators the roll-up of every prepared period follows at once.
- Data values: read scoped by REPORT_VIEW; written through the unit's report
  (`services.report_open` + `services.values_save`), all or nothing.
- Reports: read scoped by REPORT_VIEW; one endpoint per step of `reports.workflow` (submit,
  approve, return, lock, reopen), each going to `services.report_transition`, which checks the
  step's rule (REPORT_ENTER at the unit, or REPORT_APPROVE at a unit strictly above) and the
  revision the client saw (a stale one answers 409).
- Analytics: `selectors.figures` (the same JSON as `danvan analytics --json`) and the table of
  every indicator, for a unit the user may view. Reads never write: a period that does not exist
  answers 404 and one not prepared yet 409 (the nightly job, `danvan prepare-periods`, prepares them).

A unit the user may not view is treated exactly like a code that does not exist: 404 when named
in the URL, the field's "no unit with code" message (400) in a body or a query of one unit, and
simply no rows when it is a list filter.
"""

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.response import Response

from danvan.accounts import policy
from danvan.accounts.permissions import AtRoot, HoldsPerm, obtain
from danvan.accounts.policy import Perm
from danvan.audit.api import ActorMixin, AuditedAPIView, AuditedViewSet
from danvan.core.api import body, narrow_references, query_params
from danvan.orgs.models import Unit
from danvan.reports import periods, rollup, selectors, services, workflow
from danvan.reports.models import (
    DataElement,
    DataValue,
    FormField,
    FormSection,
    Indicator,
    IndicatorTerm,
    Period,
    Report,
    ReportForm,
    Target,
)

from . import serializers as s

# --- scope ----------------------------------------------------------------------------------------


def _viewable_units(user):
    """A `narrow` for `body()`: unit codes are looked up among the units the user may view reports of."""

    def narrow(qs: QuerySet) -> QuerySet:
        return policy.scope(user, Perm.REPORT_VIEW, qs, field="path") if qs.model is Unit else qs

    return narrow


def _validated(serializer_class, data, user) -> dict:
    """`data` validated by `serializer_class`, unit codes narrowed to the user's scope; 400 if wrong."""
    serializer = serializer_class(data=data)
    narrow_references(serializer, _viewable_units(user))
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- catalogue ------------------------------------------------------------------------------------


class _CatalogueViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    AuditedViewSet,
):
    """Read by whoever views reports anywhere; written by catalogue managers at a root."""

    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    in_use_message = ""
    permission_classes = [HoldsPerm]
    required_perm = AtRoot(Perm.CATALOGUE_MANAGE)
    action_perms = {"list": Perm.REPORT_VIEW, "retrieve": Perm.REPORT_VIEW}

    def perform_create(self, serializer):
        with transaction.atomic():
            self.after_write(serializer.save())

    def perform_update(self, serializer):
        with transaction.atomic():
            self.after_write(serializer.save())

    def perform_destroy(self, instance):
        try:
            with transaction.atomic():
                instance.delete()
                self.after_write(None)
        except ProtectedError:
            raise ValidationError({"detail": [self.in_use_message % {"code": instance.code}]}) from None

    def after_write(self, instance) -> None:
        """Bring what depends on the catalogue up to date (in the same transaction)."""


@extend_schema(tags=["catalogue"])
class DataElementViewSet(_CatalogueViewSet):
    """Data elements: whole numbers units report for a period (or a registered source derives)."""

    queryset = DataElement.objects.all()
    serializer_class = s.DataElementSerializer
    in_use_message = gettext_lazy(
        "Data element “%(code)s” is in use (indicators, forms or values); it cannot be deleted."
    )


@extend_schema(tags=["catalogue"])
class IndicatorViewSet(_CatalogueViewSet):
    """Indicators: (sum of numerator elements) / (sum of denominator elements) × factor."""

    queryset = Indicator.objects.prefetch_related("terms__element", "targets__unit_group")
    serializer_class = s.IndicatorSerializer

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer)

    def _save(self, serializer) -> None:
        data = dict(serializer.validated_data)
        numerator, denominator = data.pop("numerator", None), data.pop("denominator", None)
        with transaction.atomic():
            indicator = self._store(serializer.instance, data)
            if numerator is not None or denominator is not None:
                for side, elements in (("n", numerator), ("d", denominator)):
                    if elements is None:
                        continue
                    IndicatorTerm.objects.filter(indicator=indicator, side=side).delete()
                    for element in dict.fromkeys(elements):
                        IndicatorTerm.objects.create(indicator=indicator, element=element, side=side)
            for period in selectors.prepared_periods():
                rollup.rebuild(period, tree=False)
        serializer.instance = Indicator.objects.prefetch_related("terms__element", "targets__unit_group").get(
            pk=indicator.pk
        )

    @staticmethod
    def _store(instance: Indicator | None, data: dict) -> Indicator:
        indicator = instance or Indicator()
        for field, value in data.items():
            setattr(indicator, field, value)
        indicator.save()
        return indicator

    def perform_destroy(self, instance):
        with transaction.atomic():
            instance.delete()
            services.targets_recount(by=self.request.user)


@extend_schema(tags=["catalogue"])
class TargetViewSet(_CatalogueViewSet):
    """Targets of an indicator for a unit group (or every unit), optionally for one period."""

    queryset = Target.objects.select_related("indicator", "unit_group")
    serializer_class = s.TargetSerializer
    lookup_field = "pk"
    lookup_value_regex = r"\d+"

    def get_object(self):
        return obtain(self.get_queryset(), user=self.request.user, pk=self.kwargs["pk"])

    def perform_create(self, serializer):
        self._check(serializer)
        super().perform_create(serializer)

    def perform_update(self, serializer):
        self._check(serializer)
        super().perform_update(serializer)

    def _check(self, serializer) -> None:
        data = {**self._current(serializer.instance), **serializer.validated_data}
        if data["period_code"]:
            periods.period_span(data["period_code"])  # a malformed code answers 400
            serializer.validated_data["period_code"] = data["period_code"].strip().upper()
            data["period_code"] = serializer.validated_data["period_code"]
        clash = Target.objects.filter(
            indicator=data["indicator"], unit_group=data["unit_group"], period_code=data["period_code"]
        )
        if serializer.instance is not None:
            clash = clash.exclude(pk=serializer.instance.pk)
        if clash.exists():
            raise ValidationError(
                {"unit_group": [_("This indicator already has a target for that unit group and period.")]}
            )

    @staticmethod
    def _current(target: Target | None) -> dict:
        if target is None:
            return {}
        return {
            "indicator": target.indicator,
            "unit_group": target.unit_group,
            "period_code": target.period_code,
        }

    def after_write(self, instance) -> None:
        services.targets_recount(by=self.request.user)

    def perform_destroy(self, instance):
        with transaction.atomic():
            instance.delete()
            self.after_write(None)


@extend_schema(tags=["catalogue"])
class ReportFormViewSet(_CatalogueViewSet):
    """Report forms: which elements, in which sections, for which units, due when."""

    queryset = ReportForm.objects.prefetch_related("unit_types", "unit_groups", "sections__fields__element")
    serializer_class = s.ReportFormSerializer
    in_use_message = gettext_lazy(
        "Report form “%(code)s” already has reports; it cannot be deleted. Set it out of use instead."
    )

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer)

    def _save(self, serializer) -> None:
        data = dict(serializer.validated_data)
        sections = data.pop("sections_out", None)
        unit_types, unit_groups = data.pop("unit_types", None), data.pop("unit_groups", None)
        try:
            with transaction.atomic():
                form = serializer.instance or ReportForm()
                for field, value in data.items():
                    setattr(form, field, value)
                form.save()
                if unit_types is not None:
                    form.unit_types.set(unit_types)
                if unit_groups is not None:
                    form.unit_groups.set(unit_groups)
                if sections is not None:
                    FormSection.objects.filter(form=form).delete()
                    for order, section in enumerate(sections, start=1):
                        row = FormSection.objects.create(form=form, title=section["title"], order=order)
                        FormField.objects.bulk_create(
                            FormField(section=row, element=element, order=position)
                            for position, element in enumerate(section["elements"], start=1)
                        )
        except IntegrityError:
            raise ValidationError({"code": [_("A report form with this code already exists.")]}) from None
        serializer.instance = self.get_queryset().get(pk=form.pk)


# --- data values ----------------------------------------------------------------------------------


@extend_schema(tags=["data values"])
class DataValuesView(ActorMixin, generics.GenericAPIView):
    """Values of the units the user may view; written through the unit's report of a form."""

    serializer_class = s.DataValueOutput
    queryset = DataValue.objects.none()

    @extend_schema(parameters=[s.ValueListParams], responses=s.DataValueOutput(many=True))
    def get(self, request):
        """Values (of every status) filtered by unit, period and element code."""
        params = query_params(s.ValueListParams, request)
        qs = DataValue.objects.select_related("unit", "period", "element")
        if params.get("unit"):
            qs = qs.filter(unit__code=params["unit"].strip())
        if params.get("period"):
            qs = qs.filter(period__code=params["period"])
        if params.get("element"):
            qs = qs.filter(element__code=params["element"].strip())
        qs = policy.scope(request.user, Perm.REPORT_VIEW, qs).order_by(
            "period__start", "unit__path", "element__order", "id"
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.DataValueOutput(page, many=True).data)

    @extend_schema(request=s.ValuesInput, responses=s.SaveOutput)
    def post(self, request):
        """Save values of a unit's report (opened as a draft the first time); all or nothing."""
        return self._save(request)

    @extend_schema(request=s.ValuesInput, responses=s.SaveOutput)
    def put(self, request):
        """The same as POST: values given replace those stored; an empty or null value clears."""
        return self._save(request)

    def _save(self, request) -> Response:
        data = body(s.ValuesInput, request, narrow=_viewable_units(request.user))
        with transaction.atomic():
            period = services.period_get(code=data["period"], by=request.user)
            report = services.report_open(
                form=data["form"], unit=data["unit"], period=period, by=request.user
            )
            result = services.values_save(
                report=report,
                values=data["values"],
                comments=data["comments"],
                by=request.user,
                revision=data["revision"],
            )
        output = {
            "report": result.report.pk,
            "status": result.report.status,
            "revision": result.report.revision,
            "saved": result.saved,
            "problems": [{"message": p.message, "elements": p.elements} for p in result.problems],
        }
        return Response(s.SaveOutput(output).data)


# --- reports --------------------------------------------------------------------------------------


def _action(step: workflow.Step):
    """The workflow step `step` of a report as `POST /reports/{id}/<name>/`."""

    def view(self, request, pk: str):
        report = self.get_object()
        data = body(s.ActionInput, request)
        moved = services.report_transition(
            report=report, action=step.name, by=request.user, revision=data["revision"], reason=data["reason"]
        )
        return Response(self._report_data(moved))

    view.__name__ = step.attribute
    view.__doc__ = step.summary
    view = action(detail=True, methods=["post"], url_path=step.name, url_name=step.name)(view)
    return extend_schema(request=s.ActionInput, responses=s.ReportDetailOutput, summary=step.summary)(view)


def _with_workflow(viewset: type) -> type:
    """Give `viewset` one endpoint per step of the report workflow (`workflow.STEPS`)."""
    for step in workflow.STEPS:
        setattr(viewset, step.attribute, _action(step))
    return viewset


@extend_schema(tags=["reports"])
@_with_workflow
class ReportViewSet(mixins.ListModelMixin, AuditedViewSet):
    """Reports of the units the user may view, with their workflow."""

    serializer_class = s.ReportOutput
    queryset = Report.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = Report.objects.select_related(
            "form", "unit", "period", "submitted_by", "decided_by", "signed_by"
        )
        return policy.scope(self.request.user, Perm.REPORT_VIEW, qs)

    def get_object(self) -> Report:
        return obtain(self.get_queryset(), user=self.request.user, pk=self.kwargs["pk"])

    def _report_data(self, report: Report) -> dict:
        report = self.get_queryset().prefetch_related("transitions__by").get(pk=report.pk)
        return s.ReportDetailOutput(report, context={"values": selectors.report_values(report)}).data

    @extend_schema(parameters=[s.ReportListParams], responses=s.ReportOutput(many=True))
    def list(self, request):
        params = query_params(s.ReportListParams, request)
        qs = self.get_queryset()
        if params.get("unit"):
            qs = qs.filter(unit__code=params["unit"].strip())
        if params.get("period"):
            qs = qs.filter(period__code=params["period"])
        if params.get("form"):
            qs = qs.filter(form__code=params["form"].strip())
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        page = self.paginate_queryset(qs.order_by("-period__start", "unit__path", "form__code", "id"))
        return self.get_paginated_response(s.ReportOutput(page, many=True).data)

    @extend_schema(responses=s.ReportDetailOutput)
    def retrieve(self, request, pk: str):
        """The report with its values and its history of transitions."""
        return Response(self._report_data(self.get_object()))


# --- analytics ------------------------------------------------------------------------------------


class PeriodNotFound(NotFound):
    default_code = "period_not_prepared"


class PeriodNotPrepared(APIException):
    status_code = 409
    default_code = "period_not_prepared"


def _period(code: str) -> Period:
    """The prepared period of `code`; a read never creates or prepares one (the nightly job does).

    A malformed code answers 400, a period that does not exist 404 and one not prepared yet 409,
    each with a message that says how the period gets prepared.
    """
    code = periods.period_span(code).code
    found = selectors.period_find(code)
    if selectors.is_prepared(found):
        return found
    message = _(
        "Period %(code)s has no figures yet: it is not prepared. Periods are prepared every night by a "
        "scheduled job, or at once by whoever may see reports (the button on the reports' pages) or with "
        "the command danvan prepare-periods. Try again once it is prepared."
    ) % {"code": code}
    raise PeriodNotFound(message) if found is None else PeriodNotPrepared(message)


@extend_schema(tags=["analytics"])
class AnalyticsView(AuditedAPIView):
    """The analytics query: one unit, one period, one indicator (`danvan analytics --json`)."""

    @extend_schema(parameters=[s.AnalyticsParams], responses=s.FiguresOutput)
    def get(self, request):
        params = _validated(s.AnalyticsParams, request.query_params, request.user)
        result = selectors.figures(
            unit=params["unit"],
            period=_period(params["period"]),
            indicator=params["indicator"],
            as_of=params.get("as_of"),
        )
        return Response(result.as_dict())


@extend_schema(tags=["analytics"])
class AnalyticsTableView(AuditedAPIView):
    """Figures of every indicator for one unit and period (the target attainment table)."""

    @extend_schema(parameters=[s.TableParams], responses=s.FiguresOutput(many=True))
    def get(self, request):
        params = _validated(s.TableParams, request.query_params, request.user)
        rows = selectors.table(unit=params["unit"], period=_period(params["period"]))
        return Response([row.as_dict() for row in rows])


__all__ = [
    "AnalyticsTableView",
    "AnalyticsView",
    "DataElementViewSet",
    "DataValuesView",
    "IndicatorViewSet",
    "ReportFormViewSet",
    "ReportViewSet",
    "TargetViewSet",
]
