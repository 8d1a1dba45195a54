"""Serializers of the commendations API: inputs that parse shapes (the services decide), plain outputs.

What earned a commendation is `earned_for` (words) and, beside it, the id of a "Dân vận khéo" model
(`exemplar`) or of an evaluation (`evaluation`): the service checks that the caller sees it and that it
is of the recipient's unit or a unit below it."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from danvan.core.api import DateField, TextField
from danvan.orgs.api.serializers import UnitCodeField

from .models import Commendation, Form, Kind


class ListParams(serializers.Serializer):
    unit = serializers.CharField(
        required=False, max_length=64, help_text=_("Unit code: the commendations of its whole subtree.")
    )
    year = serializers.IntegerField(required=False, min_value=1945, max_value=2100)
    form = serializers.ChoiceField(required=False, choices=Form.choices)
    kind = serializers.ChoiceField(required=False, choices=Kind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = DateField(required=False, help_text=_("Decision dated on or after this day."))
        self.fields["to"] = DateField(required=False, help_text=_("Decision dated on or before this day."))


class CommendationInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    unit = UnitCodeField(help_text=_("Code of the recipient's unit."))
    recipient_name = TextField(max_length=300)
    position = TextField(max_length=200)
    form = serializers.ChoiceField(choices=Form.choices)
    title = TextField(max_length=300)
    issuer_unit = UnitCodeField(required=False, allow_null=True, default=None)
    issuer_name = TextField(max_length=300)
    decision_number = TextField(max_length=100)
    decision_date = DateField(required=False, allow_null=True, default=None)
    year = serializers.IntegerField(required=False, allow_null=True, default=None)
    reason = TextField(max_length=10000)
    earned_for = TextField(max_length=10000)
    exemplar = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text=_("Id of the “Dân vận khéo” model that earned it (or null)."),
    )
    evaluation = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text=_("Id of the evaluation that earned it (or null); not with a model."),
    )


class CommendationOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    kind_label = serializers.CharField(source="get_kind_display")
    form_label = serializers.CharField(source="get_form_display")
    recipient = serializers.CharField()
    issuer_unit = serializers.SerializerMethodField()
    issuer = serializers.CharField()
    has_decision_file = serializers.SerializerMethodField()
    exemplar = serializers.IntegerField(source="exemplar_id", read_only=True, allow_null=True)
    evaluation = serializers.IntegerField(source="evaluation_id", read_only=True, allow_null=True)

    class Meta:
        model = Commendation
        fields = [
            "id",
            "kind",
            "kind_label",
            "unit",
            "unit_name",
            "recipient",
            "recipient_name",
            "position",
            "form",
            "form_label",
            "title",
            "issuer_unit",
            "issuer_name",
            "issuer",
            "decision_number",
            "decision_date",
            "year",
            "reason",
            "earned_for",  # what earned it, in words, and the record's id (one of the two, or none)
            "exemplar",
            "evaluation",
            "has_decision_file",
        ]

    def get_issuer_unit(self, item: Commendation) -> str | None:
        return item.issuer_unit.code if item.issuer_unit_id else None

    def get_has_decision_file(self, item: Commendation) -> bool:
        return bool(item.decision_file)
