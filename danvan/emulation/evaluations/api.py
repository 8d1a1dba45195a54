"""The evaluations API (`/api/v1/emulation/evaluations/`): the same rules as the pages, through the same
services and selectors. An evaluation is seen with EMULATION_VIEW at its unit or above (404 otherwise);
the self-assessment needs EMULATION_RECORD at the unit; the review and classification EMULATION_REVIEW at
a unit strictly above (403). The services' refusals are 400 with their Vietnamese messages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from danvan.accounts.api import PermRequired
from danvan.accounts.permissions import obtain
from danvan.accounts.policy import Perm
from danvan.audit.api import AuditedViewSet
from danvan.core.api import body, query_params
from danvan.orgs.selectors import unit_by_code, units_for

from . import selectors, services
from . import serializers as s
from .models import Evaluation


def _detail(pk: int) -> dict:
    evaluation = (
        Evaluation.objects.select_related("unit", "scorecard")
        .prefetch_related("scores__criterion")
        .get(pk=pk)
    )
    return s.EvaluationDetail(evaluation).data


@extend_schema(tags=["evaluations"])
class EvaluationViewSet(PermRequired, mixins.ListModelMixin, AuditedViewSet):
    """Evaluations of the units the user may see."""

    required_perm = Perm.EMULATION_VIEW
    action_perms = {
        "create": Perm.EMULATION_RECORD,
        "scores": Perm.EMULATION_RECORD,
        "submit": Perm.EMULATION_RECORD,
        "review": Perm.EMULATION_REVIEW,
        "classify": Perm.EMULATION_REVIEW,
    }
    serializer_class = s.EvaluationOutput
    queryset = Evaluation.objects.none()
    lookup_value_regex = r"\d+"

    def get_object(self, perm: Perm | None = None) -> Evaluation:
        return obtain(
            selectors.evaluations_for(self.request.user),
            user=self.request.user,
            do=perm,
            pk=self.kwargs["pk"],
        )

    @extend_schema(parameters=[s.EvaluationListParams], responses=s.EvaluationOutput(many=True))
    def list(self, request):
        params = query_params(s.EvaluationListParams, request)
        unit = None
        if params.get("unit"):
            unit = unit_by_code(params["unit"])
        qs = selectors.listed(request.user, unit=unit, code=(params.get("period") or "").strip().upper())
        if params.get("unit") and unit is None:
            qs = qs.none()
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.EvaluationOutput(page, many=True).data)

    @extend_schema(responses=s.EvaluationDetail)
    def retrieve(self, request, pk: str):
        return Response(_detail(self.get_object().pk))

    def _run(self, call):
        try:
            return call()
        except DjangoValidationError as error:
            from rest_framework.exceptions import ValidationError

            raise ValidationError(
                error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
            ) from error

    @extend_schema(request=s.EvaluationStartInput, responses={201: s.EvaluationDetail})
    def create(self, request):
        data = body(s.EvaluationStartInput, request)
        unit = obtain(
            units_for(request.user, Perm.EMULATION_RECORD), user=request.user, code__iexact=data["unit"]
        )
        evaluation = self._run(
            lambda: services.evaluation_start(
                unit=unit, period=data["period"].strip().upper(), by=request.user
            )
        )
        return Response(_detail(evaluation.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.EvaluationAssessInput, responses=s.EvaluationDetail)
    @action(detail=True, methods=["post"])
    def scores(self, request, pk: str):
        evaluation = self.get_object(Perm.EMULATION_RECORD)
        data = body(s.EvaluationAssessInput, request)
        inputs = [services.ScoreInput(**item) for item in data["scores"]]
        self._run(lambda: services.self_assess(evaluation=evaluation, scores=inputs, by=request.user))
        return Response(_detail(evaluation.pk))

    @extend_schema(request=None, responses=s.EvaluationDetail)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk: str):
        evaluation = self.get_object(Perm.EMULATION_RECORD)
        self._run(lambda: services.evaluation_submit(evaluation=evaluation, by=request.user))
        return Response(_detail(evaluation.pk))

    @extend_schema(request=s.EvaluationReviewInput, responses=s.EvaluationDetail)
    @action(detail=True, methods=["post"])
    def review(self, request, pk: str):
        evaluation = self.get_object()
        data = body(s.EvaluationReviewInput, request)
        inputs = [services.ReviewInput(**item) for item in data["scores"]]
        self._run(lambda: services.evaluation_review(evaluation=evaluation, scores=inputs, by=request.user))
        return Response(_detail(evaluation.pk))

    @extend_schema(request=s.EvaluationClassifyInput, responses=s.EvaluationDetail)
    @action(detail=True, methods=["post"])
    def classify(self, request, pk: str):
        evaluation = self.get_object()
        data = body(s.EvaluationClassifyInput, request)
        self._run(lambda: services.evaluation_classify(evaluation=evaluation, by=request.user, **data))
        return Response(_detail(evaluation.pk))


@extend_schema(
    tags=["evaluations"],
    parameters=[s.EvaluationRankingParams],
    responses=s.EvaluationRankedOutput(many=True),
)
class RankingView(PermRequired, APIView):
    """The units below a unit ranked on their classified evaluation of a period (ties share a rank)."""

    required_perm = Perm.EMULATION_VIEW

    def get(self, request):
        params = query_params(s.EvaluationRankingParams, request)
        unit = obtain(
            units_for(request.user, Perm.EMULATION_VIEW), user=request.user, code__iexact=params["unit"]
        )
        try:
            rows = selectors.ranking(
                user=request.user,
                unit=unit,
                code=params["period"].strip().upper(),
                unit_type=params["unit_type"],
            )
        except DjangoValidationError as error:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"period": error.messages}) from error
        return Response(s.EvaluationRankedOutput(rows, many=True).data)
