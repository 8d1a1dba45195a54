"""Serializers of the training API: inputs that parse shapes (the services decide and explain), outputs."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from danvan.core.api import DateField, TextField
from danvan.orgs.api.serializers import UnitCodeField

from .models import Participant, TrainingClass


class ClassListParams(serializers.Serializer):
    unit = serializers.CharField(
        required=False, max_length=64, help_text=_("Unit code: the classes of its whole subtree.")
    )
    below = serializers.BooleanField(
        required=False, default=True, help_text=_("false: the classes of the unit itself only.")
    )
    year = serializers.IntegerField(required=False, min_value=1945, max_value=9999)
    start = DateField(required=False, help_text=_("First day on or after this day."))
    end = DateField(required=False, help_text=_("First day on or before this day."))


class AttendeeInput(serializers.Serializer):
    name = TextField(trim_whitespace=False, allow_blank=True, max_length=1000)
    position = TextField(required=False, default="", allow_blank=True, max_length=1000)
    unit = TextField(required=False, default="", allow_blank=True, max_length=1000)


class ClassInput(serializers.Serializer):
    """A training class. A field left out of a PATCH keeps the class's value; `attendees` left out
    keeps its list, an empty list removes it."""

    unit = UnitCodeField(help_text=_("Code of the organising unit."))
    title = TextField(trim_whitespace=False, allow_blank=True, max_length=1000)
    topic = TextField(required=False, default="", allow_blank=True, max_length=2000)
    organiser = TextField(required=False, default="", allow_blank=True, max_length=1000)
    held_on = DateField(help_text=_("The class's first day (not in the future)."))
    ended_on = DateField(required=False, allow_null=True, default=None)
    place = TextField(required=False, default="", allow_blank=True, max_length=1000)
    participants = serializers.IntegerField(min_value=0, max_value=100_000)
    attendees = AttendeeInput(many=True, required=False, allow_null=True, default=None)
    notes = TextField(required=False, default="", allow_blank=True, max_length=10000)


class AttendeeOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit_name")

    class Meta:
        model = Participant
        fields = ["name", "position", "unit"]


class ClassOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")

    class Meta:
        model = TrainingClass
        fields = [
            "id",
            "unit",
            "unit_name",
            "title",
            "topic",
            "organiser",
            "held_on",
            "ended_on",
            "place",
            "participants",
            "notes",
        ]


class ClassDetailOutput(ClassOutput):
    attendees = AttendeeOutput(many=True)

    class Meta(ClassOutput.Meta):
        fields = [*ClassOutput.Meta.fields, "attendees"]
