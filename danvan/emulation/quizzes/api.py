"""The quiz API (`/api/v1/emulation/quizzes/questions/`, `/api/v1/emulation/quizzes/quizzes/`): the
bank (read and add questions: EMULATION_MANAGE) and the quizzes with their results (EMULATION_VIEW),
through the same services and selectors as the pages. A record out of reach answers 404; a unit named
in a body is looked up among the units where the user keeps the bank."""

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

from . import selectors, services
from . import serializers as s
from .models import Question, Quiz


@extend_schema(tags=["quizzes"])
class QuestionViewSet(PermRequired, mixins.ListModelMixin, AuditedViewSet):
    """Questions of the banks the user keeps, and of the units above them."""

    required_perm = Perm.EMULATION_MANAGE
    serializer_class = s.QuestionOutput
    queryset = Question.objects.none()
    lookup_value_regex = r"\d+"

    def _visible(self) -> QuerySet[Question]:
        return selectors.bank_visible(self.request.user).prefetch_related("choices")

    @extend_schema(parameters=[s.QuestionListParams], responses=s.QuestionOutput(many=True))
    def list(self, request):
        params = query_params(s.QuestionListParams, request)
        qs = self._visible()
        if params.get("topic"):
            qs = qs.filter(topic__name__iexact=params["topic"])
        if params.get("difficulty"):
            qs = qs.filter(difficulty=params["difficulty"])
        page = self.paginate_queryset(qs.order_by("topic__name", "id"))
        return self.get_paginated_response(s.QuestionOutput(page, many=True).data)

    @extend_schema(responses=s.QuestionOutput)
    def retrieve(self, request, pk: str):
        return Response(s.QuestionOutput(obtain(self._visible(), user=request.user, pk=pk)).data)

    @extend_schema(request=s.QuestionInput, responses={201: s.QuestionOutput})
    def create(self, request):
        """A question with its choices (at least two, one right at least)."""
        user = request.user
        data = validated(s.QuestionInput, request, perm=Perm.EMULATION_MANAGE)
        question = services.question_create(
            unit=data["unit"],
            spec=services.QuestionSpec(
                text=data["text"],
                topic=data["topic"],
                difficulty=data["difficulty"],
                source=data["source"],
                explanation=data["explanation"],
                choices=[services.ChoiceSpec(text=c["text"], correct=c["correct"]) for c in data["choices"]],
            ),
            by=user,
        )
        return Response(s.QuestionOutput(question).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["quizzes"])
class QuizViewSet(PermRequired, mixins.ListModelMixin, AuditedViewSet):
    """Quizzes of the units the user may see, with their results."""

    required_perm = Perm.EMULATION_VIEW
    serializer_class = s.QuizOutput
    queryset = Quiz.objects.none()
    lookup_value_regex = r"\d+"

    def _visible(self) -> QuerySet[Quiz]:
        return selectors.quizzes_visible(self.request.user).prefetch_related("topics")

    @extend_schema(responses=s.QuizOutput(many=True))
    def list(self, request):
        page = self.paginate_queryset(self._visible().order_by("-opens_on", "-id"))
        return self.get_paginated_response(s.QuizOutput(page, many=True).data)

    @extend_schema(responses=s.QuizOutput)
    def retrieve(self, request, pk: str):
        return Response(s.QuizOutput(obtain(self._visible(), user=request.user, pk=pk)).data)

    @extend_schema(responses=s.ResultsOutput)
    @action(detail=True, methods=["get"])
    def results(self, request, pk: str):
        """Scores per person and unit, participation, per-question statistics (hardest first)."""
        quiz = obtain(self._visible(), user=request.user, pk=pk)
        return Response(s.ResultsOutput(selectors.results(quiz)).data)
