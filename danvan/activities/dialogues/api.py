"""The dialogues API (`/api/v1/activities/dialogues/`, `/api/v1/activities/dialogue-issues/`), on the same services and
selectors as the pages: a dialogue is seen with ACTIVITY_VIEW at its unit or above, recorded and
changed (its issues too) with ACTIVITY_RECORD there. Who holds ACTIVITY_VIEW nowhere gets 403; a record
out of reach answers 404; one seen without the right to change it answers 403. A unit named in the body
is looked up among the units where the user records activities (another is an unknown code)."""

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
from danvan.orgs.selectors import unit_by_code

from . import selectors, services
from . import serializers as s
from .models import Dialogue, Issue


def _input(serializer_class, request, *, partial: bool = False) -> dict:
    return validated(serializer_class, request, partial=partial, perm=Perm.ACTIVITY_RECORD)


def _dialogue_data(pk: int) -> dict:
    dialogue = Dialogue.objects.select_related("unit").prefetch_related("issues").get(pk=pk)
    return s.DialogueOutput(dialogue).data


@extend_schema(tags=["activities"])
class DialogueViewSet(PermRequired, mixins.ListModelMixin, AuditedViewSet):
    """Dialogues of the units the user may see, with the issues raised in them."""

    required_perm = Perm.ACTIVITY_VIEW
    action_perms = {"create": Perm.ACTIVITY_RECORD}
    serializer_class = s.DialogueOutput
    queryset = Dialogue.objects.none()
    lookup_value_regex = r"\d+"

    def get_object(self, perm: Perm | None = None) -> Dialogue:
        return obtain(
            selectors.dialogues_for(self.request.user).select_related("unit"),
            user=self.request.user,
            do=perm,
            pk=self.kwargs["pk"],
        )

    @extend_schema(parameters=[s.DialogueListParams], responses=s.DialogueOutput(many=True))
    def list(self, request):
        """Dialogues, the latest first (filters: unit subtree, year, dates held)."""
        params = query_params(s.DialogueListParams, request)
        unit = None
        if params.get("unit"):
            unit = unit_by_code(params["unit"])
        qs = selectors.filtered(
            selectors.dialogues_for(request.user),
            selectors.Filter(
                unit=unit, year=params.get("year"), start=params.get("held_from"), end=params.get("held_to")
            ),
        )
        if params.get("unit") and unit is None:
            qs = qs.none()
        page = self.paginate_queryset(
            qs.select_related("unit").prefetch_related("issues").order_by("-held_on", "-id")
        )
        return self.get_paginated_response(s.DialogueOutput(page, many=True).data)

    @extend_schema(responses=s.DialogueOutput)
    def retrieve(self, request, pk: str):
        """The dialogue with its issues."""
        return Response(_dialogue_data(self.get_object().pk))

    @extend_schema(request=s.DialogueInput, responses={201: s.DialogueOutput})
    def create(self, request):
        """Record a dialogue (ACTIVITY_RECORD at its unit)."""
        data = _input(s.DialogueInput, request)
        dialogue = services.dialogue_record(spec=services.DialogueSpec(**data), by=request.user)
        return Response(_dialogue_data(dialogue.pk), status=status.HTTP_201_CREATED)

    def _save(self, request, *, partial: bool) -> Response:
        dialogue = self.get_object(Perm.ACTIVITY_RECORD)
        data = _input(s.DialogueInput, request, partial=partial)
        values = services.DialogueSpec.values_of(dialogue)
        values.update(data)
        services.dialogue_update(dialogue=dialogue, spec=services.DialogueSpec(**values), by=request.user)
        return Response(_dialogue_data(dialogue.pk))

    @extend_schema(request=s.DialogueInput, responses=s.DialogueOutput)
    def update(self, request, pk: str):
        """Change the dialogue: every field is given again."""
        return self._save(request, partial=False)

    @extend_schema(request=s.DialogueInput, responses=s.DialogueOutput)
    def partial_update(self, request, pk: str):
        """Change the dialogue: the fields left out keep their values."""
        return self._save(request, partial=True)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk: str):
        """Delete the dialogue and its issues."""
        services.dialogue_delete(dialogue=self.get_object(Perm.ACTIVITY_RECORD), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.IssueInput, responses={201: s.IssueOutput})
    @action(detail=True, methods=["post"])
    def issues(self, request, pk: str):
        """Add an issue raised in the dialogue (open)."""
        dialogue = self.get_object(Perm.ACTIVITY_RECORD)
        data = _input(s.IssueInput, request)
        issue = services.issue_add(dialogue=dialogue, by=request.user, **data)
        return Response(s.IssueOutput(issue).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["activities"])
class IssueViewSet(PermRequired, AuditedViewSet):
    """An issue raised in a dialogue: read it, answer or change it, delete it."""

    required_perm = Perm.ACTIVITY_VIEW
    serializer_class = s.IssueOutput
    queryset = Issue.objects.none()
    lookup_value_regex = r"\d+"

    def get_object(self, perm: Perm | None = None) -> Issue:
        user = self.request.user
        visible = policy.scope(
            user, Perm.ACTIVITY_VIEW, Issue.objects.select_related("dialogue__unit"), "dialogue__unit__path"
        )
        return obtain(
            visible, user=user, do=perm, unit=lambda issue: issue.dialogue.unit, pk=self.kwargs["pk"]
        )

    @extend_schema(responses=s.IssueOutput)
    def retrieve(self, request, pk: str):
        return Response(s.IssueOutput(self.get_object()).data)

    def _save(self, request, *, partial: bool) -> Response:
        issue = self.get_object(Perm.ACTIVITY_RECORD)
        data = _input(s.IssueUpdateInput, request, partial=partial)
        values = {
            "content": issue.content,
            "answerer": issue.answerer,
            "due_on": issue.due_on,
            "state": issue.state,
            "answer": issue.answer,
            "answered_on": issue.answered_on,
        }
        values.update(data)
        issue = services.issue_update(issue=issue, by=request.user, **values)
        return Response(s.IssueOutput(issue).data)

    @extend_schema(request=s.IssueUpdateInput, responses=s.IssueOutput)
    def update(self, request, pk: str):
        """Answer or change the issue: every field is given again."""
        return self._save(request, partial=False)

    @extend_schema(request=s.IssueUpdateInput, responses=s.IssueOutput)
    def partial_update(self, request, pk: str):
        """Answer or change the issue: the fields left out keep their values."""
        return self._save(request, partial=True)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk: str):
        services.issue_delete(issue=self.get_object(Perm.ACTIVITY_RECORD), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
