"""Serializers of the thematic cell meetings API."""

from rest_framework import serializers

from danvan.core.api import CodeRelatedField, DateField, TextField
from danvan.orgs.models import Unit

from .models import Meeting


class MeetingOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "unit", "unit_name", "held_on", "topic", "attendees", "expected", "notes"]
        read_only_fields = fields


class MeetingInput(serializers.Serializer):
    unit = CodeRelatedField(
        queryset=Unit.objects.all(), slug_field="code", help_text="The party cell's code."
    )
    held_on = DateField()
    topic = TextField(max_length=300)
    attendees = serializers.IntegerField(min_value=0, max_value=100_000)
    expected = serializers.IntegerField(min_value=0, max_value=100_000, required=False, allow_null=True)
    notes = TextField(max_length=4000)


# The list's filters: `from` and `to` are Python keywords, so the class is built with type().
MeetingListParams = type(
    "MeetingListParams",
    (serializers.Serializer,),
    {
        "unit": serializers.CharField(required=False, max_length=64, help_text="A unit's code: its subtree."),
        "year": serializers.IntegerField(required=False, min_value=1995, max_value=2100),
        "from": DateField(required=False),
        "to": DateField(required=False),
    },
)


class CoverageParams(serializers.Serializer):
    unit = serializers.CharField(required=False, max_length=64)
    year = serializers.IntegerField(required=False, min_value=1995, max_value=2100)


class CoverageCell(serializers.Serializer):
    unit = serializers.CharField()
    name = serializers.CharField()
    meetings = serializers.IntegerField()


class CellCoverageOutput(serializers.Serializer):
    unit = serializers.CharField()
    year = serializers.IntegerField()
    cells = serializers.IntegerField()
    with_meeting = serializers.IntegerField()
    rate = serializers.CharField()
    covered = CoverageCell(many=True)
    missing = CoverageCell(many=True)
