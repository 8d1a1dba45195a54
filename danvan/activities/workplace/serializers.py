"""Serializers of the workplace API: inputs that parse shapes (the services decide what is allowed and
say why not in Vietnamese), plain outputs with the words of the pages beside the codes."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from danvan.core.api import DateField, TextField
from danvan.orgs.api.serializers import UnitCodeField

from .models import Category, Conference, Disclosure, Form


class ListParams(serializers.Serializer):
    unit = serializers.CharField(required=False, max_length=64, help_text=_("Unit code: its whole subtree."))
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class ConferenceInput(serializers.Serializer):
    unit = UnitCodeField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    held_on = DateField()
    staff_count = serializers.IntegerField(min_value=1, max_value=1_000_000)
    attendees = serializers.IntegerField(min_value=0, max_value=1_000_000)
    valid = serializers.BooleanField(required=False, default=False)
    resolution_adopted = serializers.BooleanField(required=False, default=False)
    votes_for = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    notes = TextField(max_length=4000)


class ResolutionInput(serializers.Serializer):
    file = serializers.FileField(help_text=_("A .pdf or .docx file."))


class ConferenceOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    quorum = serializers.IntegerField()
    deadline = serializers.DateField()
    on_time = serializers.BooleanField()
    resolution_url = serializers.SerializerMethodField()

    class Meta:
        model = Conference
        fields = [
            "id",
            "unit",
            "unit_name",
            "year",
            "held_on",
            "staff_count",
            "attendees",
            "quorum",
            "valid",
            "resolution_adopted",
            "votes_for",
            "deadline",
            "on_time",
            "resolution_name",
            "resolution_url",
            "notes",
        ]

    def get_resolution_url(self, obj: Conference) -> str:
        return reverse("workplace:resolution", args=[obj.pk]) if obj.resolution_file else ""


class DisclosureInput(serializers.Serializer):
    unit = UnitCodeField()
    category = serializers.ChoiceField(choices=Category.choices)
    title = TextField(max_length=300)
    content = TextField(max_length=10000)
    disclosed_on = DateField()
    form = serializers.ChoiceField(choices=Form.choices)
    period = TextField(max_length=120)


class DisclosureOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    category_label = serializers.CharField(source="get_category_display")
    form_label = serializers.CharField(source="get_form_display")

    class Meta:
        model = Disclosure
        fields = [
            "id",
            "unit",
            "unit_name",
            "category",
            "category_label",
            "title",
            "content",
            "disclosed_on",
            "form",
            "form_label",
            "period",
        ]
