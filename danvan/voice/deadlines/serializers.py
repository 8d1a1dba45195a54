"""Serializers of the deadline rules API: the rule as it reads, and the list's filters."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from danvan.core.api import DateField

from .models import DeadlineRule


class DeadlineRuleOutput(serializers.ModelSerializer):
    procedure_display = serializers.CharField(source="get_procedure_display")
    step_display = serializers.CharField(source="get_step_display")
    counted_from_display = serializers.CharField(source="get_counted_from_display")
    day_unit_display = serializers.CharField(source="get_day_unit_display")

    class Meta:
        model = DeadlineRule
        fields = [
            "code",
            "procedure",
            "procedure_display",
            "step",
            "step_display",
            "counted_from",
            "counted_from_display",
            "days",
            "day_unit",
            "day_unit_display",
            "days_complex",
            "days_remote",
            "days_complex_remote",
            "extensions_allowed",
            "extension_days",
            "effective_from",
            "effective_to",
            "citation",
            "note",
        ]


class DeadlineRuleListParams(serializers.Serializer):
    procedure = serializers.ChoiceField(required=False, choices=DeadlineRule.Procedure.choices)
    in_force_on = DateField(required=False, help_text=_("Only the rules in force on this day."))
