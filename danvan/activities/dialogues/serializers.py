"""Serializers of the dialogues API: inputs that parse shapes (the services decide what is allowed and
say why not, in Vietnamese), plain outputs with words for the choices."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from danvan.core.api import DateField, TextField
from danvan.orgs.api.serializers import UnitCodeField

from .models import Audience, Dialogue, Format, Issue, IssueState


class DialogueListParams(serializers.Serializer):
    unit = serializers.CharField(required=False, max_length=64, help_text=_("Unit code: its whole subtree."))
    year = serializers.IntegerField(required=False, min_value=2000, max_value=9999)
    held_from = DateField(required=False)
    held_to = DateField(required=False)


class DialogueInput(serializers.Serializer):
    unit = UnitCodeField()
    held_on = DateField()
    leader_name = TextField()
    leader_position = TextField()
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.STAFF)
    participants = serializers.IntegerField(min_value=0, default=0)
    format = serializers.ChoiceField(choices=Format.choices, default=Format.DIRECT)
    place = TextField()
    note = TextField()


class IssueInput(serializers.Serializer):
    content = TextField()
    answerer = TextField()
    due_on = DateField(required=False, allow_null=True, default=None)


class IssueUpdateInput(IssueInput):
    state = serializers.ChoiceField(choices=IssueState.choices)
    answer = TextField()
    answered_on = DateField(required=False, allow_null=True, default=None)


class IssueOutput(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    dialogue = serializers.IntegerField(source="dialogue_id", read_only=True)

    class Meta:
        model = Issue
        fields = [
            "id",
            "dialogue",
            "content",
            "answerer",
            "due_on",
            "state",
            "state_label",
            "answer",
            "answered_on",
        ]


class DialogueOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    audience_label = serializers.CharField(source="get_audience_display", read_only=True)
    format_label = serializers.CharField(source="get_format_display", read_only=True)
    issues = IssueOutput(many=True, read_only=True)

    class Meta:
        model = Dialogue
        fields = [
            "id",
            "unit",
            "unit_name",
            "held_on",
            "leader_name",
            "leader_position",
            "audience",
            "audience_label",
            "participants",
            "format",
            "format_label",
            "place",
            "note",
            "issues",
        ]
