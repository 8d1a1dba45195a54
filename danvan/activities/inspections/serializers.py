"""Serializers of the inspection API: inputs checked for shape here, for meaning by the services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from danvan.core.api import BoundedListField, DateField, TextField
from danvan.orgs.api.serializers import UnitCodeField

from .models import Inspection, Kind, Remedy, RemedyState, State, Target


class InspectionInput(serializers.Serializer):
    unit = UnitCodeField(help_text=_("Code of the inspecting unit."))
    kind = serializers.ChoiceField(choices=Kind.choices)
    title = TextField(max_length=300)
    reference = TextField(max_length=300)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    starts_on = DateField()
    ends_on = DateField()
    units = BoundedListField(
        child=UnitCodeField(),
        max_length=500,
        help_text=_("Codes of the inspected units, below the inspecting unit."),
    )


class InspectionUpdateInput(InspectionInput):
    unit = None  # type: ignore[assignment]
    state = serializers.ChoiceField(choices=State.choices)


class FindingsInput(serializers.Serializer):
    conducted_on = DateField()
    strengths = TextField(max_length=10000)
    shortcomings = TextField(max_length=10000)
    conclusion = TextField(max_length=10000)


class RemedyInput(serializers.Serializer):
    target = serializers.IntegerField(help_text=_("Id of the inspected unit of a programme."))
    content = TextField(max_length=10000)
    due_on = DateField()


class FollowUpInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=RemedyState.choices)
    remedied_on = DateField(required=False, allow_null=True, default=None)
    result = TextField(max_length=10000)


class RemedyListParams(serializers.Serializer):
    unit = serializers.CharField(required=False, max_length=64, help_text=_("Unit code: its subtree."))
    state = serializers.ChoiceField(choices=["open", "overdue", "remedied"], required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class RemedyOutput(serializers.ModelSerializer):
    target = serializers.IntegerField(source="target_id")
    responsible_unit = serializers.CharField(source="target.unit.code")
    inspection = serializers.IntegerField(source="target.inspection_id")
    status = serializers.SerializerMethodField(help_text=_("open, remedied or overdue"))
    status_label = serializers.SerializerMethodField()

    class Meta:
        model = Remedy
        fields = [
            "id",
            "target",
            "inspection",
            "responsible_unit",
            "content",
            "due_on",
            "state",
            "status",
            "status_label",
            "remedied_on",
            "result",
        ]

    def get_status(self, remedy) -> str:
        return remedy.status()

    def get_status_label(self, remedy) -> str:
        return str(remedy.status_badge()[1])


class TargetOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    remedies = RemedyOutput(many=True, read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "unit",
            "unit_name",
            "conducted_on",
            "strengths",
            "shortcomings",
            "conclusion",
            "remedies",
        ]


class InspectionOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    kind_label = serializers.CharField(source="get_kind_display")
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = Inspection
        fields = [
            "id",
            "unit",
            "unit_name",
            "kind",
            "kind_label",
            "title",
            "reference",
            "year",
            "starts_on",
            "ends_on",
            "state",
            "state_label",
        ]


class InspectionDetailOutput(InspectionOutput):
    targets = serializers.SerializerMethodField()

    class Meta(InspectionOutput.Meta):
        fields = [*InspectionOutput.Meta.fields, "targets"]

    def get_targets(self, inspection) -> list[dict]:
        return TargetOutput(self.context["targets"], many=True).data
