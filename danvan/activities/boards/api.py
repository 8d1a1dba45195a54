"""The People's Inspection Board API (`/api/v1/activities/inspection-boards/`, `…/inspection-board-members/`,
`…/inspection-board-recommendations/`).

The same rules as the pages, through the same services: a board is seen with ACTIVITY_VIEW at its
agency (or above) and written with ACTIVITY_RECORD there. A user holding ACTIVITY_VIEW nowhere gets
403 everywhere; a record outside the scope answers 404; one seen without the right to write, 403. A
unit named in a body is looked up among the units where the user records activities: one outside
gets the "no unit with code" message, like an unknown code.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
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
from danvan.orgs.selectors import in_subtree, unit_by_code

from . import selectors, services
from . import serializers as s
from .models import Board, Member, Recommendation, term_end


def _today():
    return timezone.localdate()


def _input(serializer_class, request) -> dict:
    return validated(serializer_class, request, perm=Perm.ACTIVITY_RECORD)


def _members(data: list[dict]) -> list[services.MemberSpec]:
    return [services.MemberSpec(**item) for item in data]


def _board_data(request, pk: int) -> dict:
    board = (
        Board.objects.select_related("unit")
        .prefetch_related("members", "activities", "recommendations__board__unit")
        .get(pk=pk)
    )
    return s.BoardDetailOutput(board, context={"today": _today(), "request": request}).data


@extend_schema(tags=["activities"])
class BoardViewSet(PermRequired, mixins.ListModelMixin, AuditedViewSet):
    """People's Inspection Boards of the agencies the user may see, with members, supervisions and
    recommendations."""

    required_perm = Perm.ACTIVITY_VIEW
    serializer_class = s.BoardOutput
    queryset = Board.objects.none()
    lookup_value_regex = r"\d+"
    action_perms = {"create": Perm.ACTIVITY_RECORD}

    def get_object(self, perm: Perm | None = None) -> Board:
        return obtain(
            selectors.boards_for(self.request.user), user=self.request.user, do=perm, pk=self.kwargs["pk"]
        )

    @extend_schema(parameters=[s.BoardListParams], responses=s.BoardOutput(many=True))
    def list(self, request):
        params = query_params(s.BoardListParams, request)
        unit = None
        if params.get("unit"):
            unit = unit_by_code(params["unit"])
        qs = selectors.listed(request.user, unit=unit, state=params.get("state", ""), today=_today())
        if params.get("unit") and unit is None:
            qs = qs.none()
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.BoardOutput(page, many=True, context={"today": _today()}).data)

    @extend_schema(responses=s.BoardDetailOutput)
    def retrieve(self, request, pk: str):
        return Response(_board_data(request, self.get_object().pk))

    @extend_schema(request=s.BoardInput, responses={201: s.BoardDetailOutput})
    def create(self, request):
        """A board's term with its 3 to 9 members (the end defaults to two years after the start)."""
        data = _input(s.BoardInput, request)
        board = services.board_create(
            unit=data["unit"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"] or term_end(data["starts_on"]),
            staff_count=data["staff_count"],
            members=_members(data["members"]),
            decision_number=data["decision_number"],
            decision_on=data["decision_on"],
            decision_text=data["decision_text"],
            by=request.user,
        )
        return Response(_board_data(request, board.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.BoardChangeInput, responses=s.BoardDetailOutput)
    def update(self, request, pk: str):
        """Change the term, the staff count or the decision (every field given again)."""
        board = self.get_object(Perm.ACTIVITY_RECORD)
        data = _input(s.BoardChangeInput, request)
        services.board_update(
            board=board,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"] or term_end(data["starts_on"]),
            staff_count=data["staff_count"],
            decision_number=data["decision_number"],
            decision_on=data["decision_on"],
            decision_text=data["decision_text"],
            by=request.user,
        )
        return Response(_board_data(request, board.pk))

    @extend_schema(request=s.MemberInput, responses={201: s.BoardDetailOutput})
    @action(detail=True, methods=["post"])
    def members(self, request, pk: str):
        board = self.get_object(Perm.ACTIVITY_RECORD)
        data = _input(s.MemberInput, request)
        services.member_add(board=board, spec=services.MemberSpec(**data), by=request.user)
        return Response(_board_data(request, board.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ActivityInput, responses={201: s.BoardDetailOutput})
    @action(detail=True, methods=["post"])
    def activities(self, request, pk: str):
        board = self.get_object(Perm.ACTIVITY_RECORD)
        data = _input(s.ActivityInput, request)
        services.activity_record(board=board, by=request.user, **data)
        return Response(_board_data(request, board.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RecommendationInput, responses={201: s.BoardDetailOutput})
    @action(detail=True, methods=["post"])
    def recommendations(self, request, pk: str):
        board = self.get_object(Perm.ACTIVITY_RECORD)
        data = _input(s.RecommendationInput, request)
        activity = None
        if data["activity"] is not None:
            activity = board.activities.filter(pk=data["activity"]).first()
            if activity is None:
                raise DjangoValidationError({"activity": _("Choose a supervision of this board.")})
        services.recommendation_record(
            board=board,
            content=data["content"],
            sent_on=data["sent_on"],
            due_on=data["due_on"],
            activity=activity,
            by=request.user,
        )
        return Response(_board_data(request, board.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=["activities"])
class MemberViewSet(PermRequired, AuditedViewSet):
    """A member of a board: change or remove them (ACTIVITY_RECORD at the agency)."""

    required_perm = Perm.ACTIVITY_VIEW
    serializer_class = s.MemberOutput
    queryset = Member.objects.none()
    lookup_value_regex = r"\d+"

    def get_object(self, perm: Perm | None = None) -> Member:
        visible = policy.scope(
            self.request.user,
            Perm.ACTIVITY_VIEW,
            Member.objects.select_related("board__unit"),
            field="board__unit__path",
        )
        return obtain(
            visible, user=self.request.user, do=perm, unit=lambda m: m.board.unit, pk=self.kwargs["pk"]
        )

    @extend_schema(responses=s.MemberOutput)
    def retrieve(self, request, pk: str):
        return Response(s.MemberOutput(self.get_object()).data)

    @extend_schema(request=s.MemberInput, responses=s.MemberOutput)
    def update(self, request, pk: str):
        member = self.get_object(Perm.ACTIVITY_RECORD)
        data = _input(s.MemberInput, request)
        member = services.member_update(member=member, spec=services.MemberSpec(**data), by=request.user)
        return Response(s.MemberOutput(member).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk: str):
        services.member_remove(member=self.get_object(Perm.ACTIVITY_RECORD), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["activities"])
class RecommendationViewSet(PermRequired, mixins.ListModelMixin, AuditedViewSet):
    """Recommendations of the boards to the heads of their agencies, by due date."""

    required_perm = Perm.ACTIVITY_VIEW
    serializer_class = s.RecommendationOutput
    queryset = Recommendation.objects.none()
    lookup_value_regex = r"\d+"

    def get_object(self, perm: Perm | None = None) -> Recommendation:
        return obtain(
            selectors.recommendations_for(self.request.user),
            user=self.request.user,
            do=perm,
            unit=lambda r: r.board.unit,
            pk=self.kwargs["pk"],
        )

    @extend_schema(parameters=[s.RecommendationListParams], responses=s.RecommendationOutput(many=True))
    def list(self, request):
        params = query_params(s.RecommendationListParams, request)
        today = _today()
        qs = selectors.recommendations_for(request.user)
        if params.get("unit"):
            unit = unit_by_code(params["unit"])
            qs = qs.none() if unit is None else in_subtree(qs, unit.path, field="board__unit__path")
        if params.get("state"):
            qs = qs.filter(state=params["state"])
        if params["overdue"] is True:
            qs = selectors.overdue(qs, today)
        page = self.paginate_queryset(qs.order_by("due_on", "id"))
        return self.get_paginated_response(
            s.RecommendationOutput(page, many=True, context={"today": today}).data
        )

    @extend_schema(responses=s.RecommendationOutput)
    def retrieve(self, request, pk: str):
        return Response(s.RecommendationOutput(self.get_object(), context={"today": _today()}).data)

    @extend_schema(request=s.AnswerInput, responses=s.RecommendationOutput)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk: str):
        recommendation = self.get_object(Perm.ACTIVITY_RECORD)
        data = _input(s.AnswerInput, request)
        recommendation = services.recommendation_answer(
            recommendation=recommendation, by=request.user, **data
        )
        return Response(s.RecommendationOutput(recommendation, context={"today": _today()}).data)

    @extend_schema(request=None, responses=s.RecommendationOutput)
    @action(detail=True, methods=["post"])
    def close(self, request, pk: str):
        recommendation = services.recommendation_close(
            recommendation=self.get_object(Perm.ACTIVITY_RECORD), by=request.user
        )
        return Response(s.RecommendationOutput(recommendation, context={"today": _today()}).data)
