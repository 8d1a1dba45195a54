"""Serializers of the evaluations API: inputs that parse shapes (the services decide), plain outputs."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from danvan.core.api import BoundedListField, TextField

from .models import Classification, Completion, Evaluation, Score


class EvaluationListParams(serializers.Serializer):
    unit = serializers.CharField(
        required=False, max_length=64, help_text=_("Unit code: the evaluations of its whole subtree.")
    )
    period = serializers.CharField(required=False, max_length=12, help_text=_("2025, 2025S1 or 2025S2"))


class EvaluationRankingParams(serializers.Serializer):
    unit = serializers.CharField(max_length=64, help_text=_("Unit code: the units below it are ranked."))
    period = serializers.CharField(max_length=12, help_text=_("2025, 2025S1 or 2025S2"))
    unit_type = serializers.CharField(
        required=False,
        max_length=40,
        default="",
        help_text=_("Rank every unit of this type below the unit instead of its children."),
    )


class EvaluationScoreOutput(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.text")
    max_points = serializers.DecimalField(source="criterion.max_points", max_digits=5, decimal_places=2)
    computed = serializers.BooleanField(source="criterion.computed")

    class Meta:
        model = Score
        fields = [
            "id",
            "criterion_id",
            "criterion",
            "max_points",
            "computed",
            "self_points",
            "points",
            "change_reason",
            "note",
            "evidence",
            "source_text",
            "source_url",
        ]


class EvaluationOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    scorecard = serializers.CharField(source="scorecard.title")

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "unit",
            "unit_name",
            "period",
            "scorecard",
            "state",
            "self_total",
            "total",
            "proposed",
            "classification",
            "classification_reason",
            "completion",
        ]


class EvaluationDetail(EvaluationOutput):
    scores = EvaluationScoreOutput(many=True, read_only=True)

    class Meta(EvaluationOutput.Meta):
        fields = [*EvaluationOutput.Meta.fields, "scores"]


class EvaluationStartInput(serializers.Serializer):
    unit = serializers.CharField(max_length=64)
    period = serializers.CharField(max_length=12)


class EvaluationScoreInput(serializers.Serializer):
    criterion_id = serializers.IntegerField()
    points = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True, default=None
    )
    note = TextField(required=False, allow_blank=True, default="", max_length=10_000)
    evidence = TextField(required=False, allow_blank=True, default="", max_length=10_000)


class EvaluationAssessInput(serializers.Serializer):
    scores = BoundedListField(child=EvaluationScoreInput(), max_length=500)


class EvaluationReviewScoreInput(serializers.Serializer):
    criterion_id = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    reason = TextField(required=False, allow_blank=True, default="", max_length=10_000)


class EvaluationReviewInput(serializers.Serializer):
    scores = BoundedListField(child=EvaluationReviewScoreInput(), max_length=500)


class EvaluationClassifyInput(serializers.Serializer):
    classification = serializers.ChoiceField(choices=Classification.choices)
    reason = TextField(required=False, allow_blank=True, default="", max_length=10_000)
    completion = serializers.ChoiceField(
        choices=Completion.choices, required=False, allow_blank=True, default=""
    )


class EvaluationRankedOutput(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    evaluation = serializers.IntegerField(source="evaluation.pk", allow_null=True, default=None)
    total = serializers.DecimalField(
        source="evaluation.total", max_digits=6, decimal_places=2, allow_null=True, default=None
    )
    classification = serializers.CharField(source="evaluation.classification", allow_null=True, default=None)
