"""Serializers of the mediation API: inputs that parse shapes (the services decide), plain outputs."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from danvan.core.api import BoundedListField, DateField, TextField
from danvan.orgs.api.serializers import UnitCodeField

from .models import Case, Mediator, Result, Sex, Team


def _date(**kwargs) -> DateField:
    return DateField(required=False, allow_null=True, default=None, **kwargs)


class CaseListParams(serializers.Serializer):
    unit = serializers.CharField(
        required=False, max_length=64, help_text=_("Unit code: the cases of its whole subtree.")
    )
    result = serializers.ChoiceField(required=False, choices=Result.choices)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = DateField(required=False, help_text=_("Received on or after this day."))
        self.fields["to"] = DateField(required=False, help_text=_("Received on or before this day."))


class TeamListParams(serializers.Serializer):
    unit = serializers.CharField(
        required=False, max_length=64, help_text=_("Unit code: the teams of its whole subtree.")
    )


class MediatorInput(serializers.Serializer):
    name = TextField(max_length=150)
    sex = serializers.ChoiceField(choices=Sex.choices)
    recognised_on = _date()
    trained = serializers.BooleanField(required=False, default=False)
    trained_on = _date()
    leader = serializers.BooleanField(required=False, default=False)


class TeamInput(serializers.Serializer):
    unit = UnitCodeField()
    name = TextField(max_length=200)
    place = TextField(max_length=200)
    established_on = _date()
    mediators = BoundedListField(child=MediatorInput(), max_length=30, required=False, default=list)


class MediationCaseInput(serializers.Serializer):
    unit = UnitCodeField()
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True, default=None
    )
    received_on = _date()
    mediators = BoundedListField(
        child=TextField(max_length=150),
        max_length=30,
        required=False,
        default=list,
        help_text=_("Full names; empty with a team: the team's mediators."),
    )
    parties = TextField(max_length=10000)
    content = TextField(max_length=10000)
    result = serializers.ChoiceField(choices=Result.choices)
    agreement = TextField(max_length=10000)
    demands = TextField(max_length=10000)
    concluded_on = _date()
    notes = TextField(max_length=10000)


class MediatorOutput(serializers.ModelSerializer):
    sex_label = serializers.CharField(source="get_sex_display")

    class Meta:
        model = Mediator
        fields = ["id", "name", "sex", "sex_label", "recognised_on", "trained", "trained_on", "leader"]


class TeamOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    mediators = MediatorOutput(many=True)

    class Meta:
        model = Team
        fields = ["id", "unit", "unit_name", "name", "place", "established_on", "mediators"]


class MediationCaseOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    result_label = serializers.CharField(source="get_result_display")
    mediators = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "unit",
            "unit_name",
            "team",
            "received_on",
            "mediators",
            "parties",
            "content",
            "result",
            "result_label",
            "agreement",
            "demands",
            "concluded_on",
            "notes",
        ]

    def get_mediators(self, case: Case) -> list[str]:
        return [name.strip() for name in case.mediators.split(";") if name.strip()]
