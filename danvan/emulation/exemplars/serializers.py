"""Serializers of the models' API: inputs that parse shapes (the services decide), plain outputs."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from danvan.core.api import BoundedListField, DateField, TextField
from danvan.orgs.api.serializers import UnitCodeField

from .criteria import CRITERIA
from .models import Campaign, CampaignState, Exemplar, Field, Level, Replication, Result, Stage


def _date(**kwargs) -> DateField:
    return DateField(required=False, allow_null=True, default=None, **kwargs)


class ExemplarListParams(serializers.Serializer):
    unit = serializers.CharField(
        required=False, max_length=64, help_text=_("Unit code: the models of its whole subtree.")
    )
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    campaign = serializers.IntegerField(required=False, min_value=1)
    field = serializers.ChoiceField(required=False, choices=Field.choices)
    stage = serializers.ChoiceField(required=False, choices=Stage.choices)


class CampaignInput(serializers.Serializer):
    unit = UnitCodeField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = TextField(max_length=300)
    nominations_until = _date()
    review_until = _date()
    recognition_by = _date()
    state = serializers.ChoiceField(choices=CampaignState.choices, default=CampaignState.OPEN)


class ResultInput(serializers.Serializer):
    measure = TextField(max_length=200)
    unit_of_measure = TextField(max_length=50)
    before = serializers.DecimalField(max_digits=14, decimal_places=2)
    after = serializers.DecimalField(max_digits=14, decimal_places=2)


class ExemplarInput(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all())
    unit = UnitCodeField()
    field = serializers.ChoiceField(choices=Field.choices)
    title = TextField(max_length=300)
    authors = TextField(max_length=10000)
    description = TextField(max_length=10000)
    started_on = _date()
    results = BoundedListField(child=ResultInput(), max_length=20, required=False, default=list)


class ReviewInput(serializers.Serializer):
    opinion = TextField(max_length=10000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in CRITERIA:
            self.fields[criterion.code] = serializers.IntegerField(
                help_text=_("%(criterion)s (out of %(maximum)s)")
                % {"criterion": criterion.label, "maximum": criterion.maximum}
            )


class RecogniseInput(serializers.Serializer):
    decision_number = TextField(max_length=60)
    decision_date = _date()
    level = serializers.ChoiceField(choices=Level.choices, required=False, default="")


class ReturnInput(serializers.Serializer):
    reason = TextField(max_length=10000)


class ReplicationInput(serializers.Serializer):
    unit = UnitCodeField()
    adopted_on = _date()
    note = TextField(max_length=10000)
    results = TextField(max_length=10000)


class CampaignOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")

    class Meta:
        model = Campaign
        fields = [
            "id",
            "unit",
            "unit_name",
            "year",
            "title",
            "nominations_until",
            "review_until",
            "recognition_by",
            "state",
        ]


class ResultOutput(serializers.ModelSerializer):
    class Meta:
        model = Result
        fields = ["measure", "unit_of_measure", "before", "after"]


class ReplicationOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")

    class Meta:
        model = Replication
        fields = ["id", "unit", "unit_name", "adopted_on", "note", "results"]


class ExemplarOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    stage_label = serializers.CharField(source="get_stage_display")
    field_label = serializers.CharField(source="get_field_display")
    results = ResultOutput(many=True)
    replications = ReplicationOutput(many=True)

    class Meta:
        model = Exemplar
        fields = [
            "id",
            "campaign",
            "unit",
            "unit_name",
            "field",
            "field_label",
            "title",
            "authors",
            "description",
            "started_on",
            "stage",
            "stage_label",
            "registered_on",
            "nominated_on",
            "total_score",
            "opinion",
            "decision_number",
            "decision_date",
            "level",
            "return_reason",
            "results",
            "replications",
        ]
