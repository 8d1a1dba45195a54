"""Bodies and answers of the People's Inspection Board API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from danvan.core.api import BoundedListField, DateField, TextField
from danvan.orgs.api.serializers import UnitCodeField

from .models import MAX_MEMBERS, Activity, Board, Member, Office, Recommendation, RecommendationState, Role
from .selectors import state_of


class BoardListParams(serializers.Serializer):
    unit = serializers.CharField(required=False, max_length=64, help_text=_("Unit code: its whole subtree."))
    state = serializers.ChoiceField(required=False, choices=["in_term", "ended", "not_started"])


class RecommendationListParams(serializers.Serializer):
    unit = serializers.CharField(required=False, max_length=64, help_text=_("Unit code: its whole subtree."))
    state = serializers.ChoiceField(required=False, choices=RecommendationState.choices)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)


class MemberInput(serializers.Serializer):
    full_name = TextField(max_length=150)
    position = TextField(max_length=200)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)
    office = serializers.ChoiceField(choices=Office.choices, default=Office.NONE)


class BoardInput(serializers.Serializer):
    unit = UnitCodeField()
    starts_on = DateField()
    ends_on = DateField(required=False, allow_null=True, default=None)
    staff_count = serializers.IntegerField(min_value=0, max_value=1_000_000)
    decision_number = TextField(max_length=60)
    decision_on = DateField(required=False, allow_null=True, default=None)
    decision_text = TextField()
    members = BoundedListField(child=MemberInput(), max_length=MAX_MEMBERS + 1)


class BoardChangeInput(serializers.Serializer):
    starts_on = DateField()
    ends_on = DateField(required=False, allow_null=True, default=None)
    staff_count = serializers.IntegerField(min_value=0, max_value=1_000_000)
    decision_number = TextField(max_length=60)
    decision_on = DateField(required=False, allow_null=True, default=None)
    decision_text = TextField()


class ActivityInput(serializers.Serializer):
    held_on = DateField()
    subject = TextField(max_length=300)
    content = TextField()
    findings = TextField()


class RecommendationInput(serializers.Serializer):
    content = TextField()
    sent_on = DateField()
    due_on = DateField()
    activity = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=10**18
    )


class AnswerInput(serializers.Serializer):
    answer = TextField()
    answered_on = DateField()


class MemberOutput(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display")

    class Meta:
        model = Member
        fields = ["id", "full_name", "position", "role", "role_label", "office"]


class ActivityOutput(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = ["id", "held_on", "subject", "content", "findings"]


class RecommendationOutput(serializers.ModelSerializer):
    board = serializers.IntegerField(source="board_id")
    unit = serializers.CharField(source="board.unit.code")
    state_label = serializers.CharField(source="get_state_display")
    activity = serializers.IntegerField(source="activity_id", allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "board",
            "unit",
            "activity",
            "content",
            "sent_on",
            "due_on",
            "answer",
            "answered_on",
            "state",
            "state_label",
            "overdue",
        ]

    def get_overdue(self, recommendation: Recommendation) -> bool:
        return recommendation.overdue(self.context["today"])


class BoardOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    state = serializers.SerializerMethodField()

    class Meta:
        model = Board
        fields = [
            "id",
            "unit",
            "unit_name",
            "starts_on",
            "ends_on",
            "staff_count",
            "decision_number",
            "decision_on",
            "decision_text",
            "state",
        ]

    def get_state(self, board: Board) -> str:
        return state_of(board, self.context["today"])


class BoardDetailOutput(BoardOutput):
    members = MemberOutput(many=True)
    activities = ActivityOutput(many=True)
    recommendations = RecommendationOutput(many=True)

    class Meta(BoardOutput.Meta):
        fields = [*BoardOutput.Meta.fields, "members", "activities", "recommendations"]
