"""Serializers of the reports API: small input serializers per operation, plain output serializers.

Everything is named by code (units, periods, elements, indicators, forms, unit groups); reports,
which have no code, by id. Input serializers only parse and check shapes; the services decide
what is allowed and say why not.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from danvan.core.api import CodeRelatedField, DateField, TextField, TextModelSerializer, WholeItemSerializer
from danvan.orgs.api.serializers import UnitCodeField, UnitGroupCodeField, UnitTypeCodeField
from danvan.reports.models import (
    Comparator,
    DataElement,
    DataValue,
    Indicator,
    PeriodType,
    Report,
    ReportForm,
    Target,
)

# --- references by code -------------------------------------------------------------------------


class ElementCodeField(CodeRelatedField):
    default_error_messages = {
        "does_not_exist": _("Data element “{value}” is unknown."),
        "invalid": _("Enter a data element code."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=DataElement.objects.all(), **kwargs)


class IndicatorCodeField(CodeRelatedField):
    default_error_messages = {
        "does_not_exist": _("Indicator “{value}” is unknown."),
        "invalid": _("Enter an indicator code."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Indicator.objects.all(), **kwargs)


class FormCodeField(CodeRelatedField):
    default_error_messages = {
        "does_not_exist": _("Report form “{value}” is unknown."),
        "invalid": _("Enter a report form code."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=ReportForm.objects.filter(is_active=True), **kwargs)


class PeriodCodeField(serializers.CharField):
    """A period code (`2026`, `2026S1`, `2026Q3`, `202609`, `2026RY`); the services check it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("help_text", _("Period code, e.g. 2026, 2026S1, 2026Q3, 202609."))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(data).strip().upper()


# --- catalogue ----------------------------------------------------------------------------------


class DataElementSerializer(TextModelSerializer):
    is_derived = serializers.BooleanField(
        read_only=True, help_text=_("Computed from other modules' records; units do not type it.")
    )

    class Meta:
        model = DataElement
        fields = [
            "code",
            "name",
            "short_name",
            "description",
            "source",
            "is_derived",
            "min_value",
            "max_value",
            "order",
        ]
        extra_kwargs = {
            "source": {"help_text": _("Empty: units report it; otherwise the key of a registered source.")},
            "min_value": {"help_text": _("Smallest value allowed (empty: no limit).")},
            "max_value": {"help_text": _("Largest value allowed (empty: no limit).")},
        }


class TargetSerializer(TextModelSerializer):
    indicator = IndicatorCodeField()
    unit_group = UnitGroupCodeField(
        required=False, allow_null=True, default=None, help_text=_("Unit group code; empty: every unit.")
    )
    period_code = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Only for this period; empty: every period."),
    )
    comparator = serializers.ChoiceField(choices=Comparator.choices, default=Comparator.GTE)

    class Meta:
        model = Target
        fields = ["id", "indicator", "unit_group", "period_code", "comparator", "value"]
        validators = []  # the unique constraint is checked by the view, with a Vietnamese message


class IndicatorTargetOutput(serializers.Serializer):
    id = serializers.IntegerField()
    unit_group = serializers.CharField(source="unit_group.code", allow_null=True)
    period_code = serializers.CharField()
    comparator = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=4)


class IndicatorSerializer(TextModelSerializer):
    numerator = ElementCodeField(many=True, help_text=_("Codes of the elements summed above the line."))
    denominator = ElementCodeField(many=True, help_text=_("Codes of the elements summed below the line."))
    targets = IndicatorTargetOutput(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "description",
            "numerator",
            "denominator",
            "factor",
            "decimals",
            "unit_label",
            "order",
            "targets",
        ]
        extra_kwargs = {
            "factor": {"help_text": _("The quotient is multiplied by it (100 for a percentage).")}
        }

    def to_representation(self, instance):
        instance.numerator, instance.denominator = instance.elements("n"), instance.elements("d")
        return super().to_representation(instance)


class FormSectionSerializer(WholeItemSerializer):  # a PATCH replaces the sections whole
    title = TextField(max_length=255, required=True, allow_blank=False)
    elements = ElementCodeField(many=True, help_text=_("Codes of the section's elements, in order."))


class ReportFormSerializer(TextModelSerializer):
    period_type = serializers.ChoiceField(choices=PeriodType.choices)
    unit_types = UnitTypeCodeField(many=True, required=False, help_text=_("Empty: every unit type."))
    unit_groups = UnitGroupCodeField(many=True, required=False, help_text=_("Empty: every unit group."))
    deadline_kind = serializers.ChoiceField(
        choices=ReportForm.Deadline.choices,
        default=ReportForm.Deadline.AFTER_END,
        help_text=_("after_end: deadline_days after the period ends; fixed: deadline_day/deadline_month."),
    )
    sections = FormSectionSerializer(many=True, source="sections_out")

    class Meta:
        model = ReportForm
        fields = [
            "code",
            "name",
            "period_type",
            "unit_types",
            "unit_groups",
            "deadline_kind",
            "deadline_days",
            "deadline_day",
            "deadline_month",
            "remind_days_before",
            "is_active",
            "requires_head_signoff",
            "sections",
        ]

    def to_representation(self, instance):
        # The form's sections as written: a title and the codes of its elements, in order.
        instance.sections_out = [
            {"title": section.title, "elements": [f.element for f in section.fields.all()]}
            for section in instance.sections.all()
        ]
        return super().to_representation(instance)

    def validate(self, attrs):
        if attrs.get("deadline_kind") == ReportForm.Deadline.FIXED and not (
            attrs.get("deadline_day") and attrs.get("deadline_month")
        ):
            raise serializers.ValidationError(
                {"deadline_day": _("A fixed deadline needs a day and a month.")}
            )
        codes = [e.code for section in attrs.get("sections", []) for e in section["elements"]]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError({"sections": _("An element appears twice on the form.")})
        return attrs


# --- data values --------------------------------------------------------------------------------


class ValueListParams(serializers.Serializer):
    unit = serializers.CharField(required=False, max_length=64, help_text=_("Unit code."))
    period = PeriodCodeField(required=False)
    element = serializers.CharField(required=False, max_length=60, help_text=_("Data element code."))


class DataValueOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    period = serializers.CharField(source="period.code")
    element = serializers.CharField(source="element.code")
    report = serializers.IntegerField(source="report_id", allow_null=True, help_text=_("Id of the report."))
    approved = serializers.BooleanField(help_text=_("Counted in the roll-up."))

    class Meta:
        model = DataValue
        fields = [
            "unit",
            "period",
            "element",
            "category",
            "value",
            "comment",
            "approved",
            "source",
            "report",
            "updated_at",
        ]


class ValuesInput(serializers.Serializer):
    form = FormCodeField(help_text=_("Report form code."))
    unit = UnitCodeField(help_text=_("Code of the reporting unit."))
    period = PeriodCodeField()
    values = serializers.DictField(
        child=serializers.JSONField(),
        allow_empty=True,
        help_text=_("Element code → whole number (or text such as “1.673”; empty or null clears it)."),
    )
    comments = serializers.DictField(
        child=TextField(required=True, max_length=2000),
        required=False,
        default=dict,
        help_text=_("Element code → comment on the value."),
    )
    revision = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=_("The report revision you saw (optional).")
    )


class ProblemOutput(serializers.Serializer):
    message = serializers.CharField()
    elements = serializers.ListField(child=serializers.CharField())


class SaveOutput(serializers.Serializer):
    report = serializers.IntegerField(help_text=_("Id of the report."))
    status = serializers.CharField()
    revision = serializers.IntegerField()
    saved = serializers.DictField(
        child=serializers.IntegerField(allow_null=True), help_text=_("The values saved, by element code.")
    )
    problems = ProblemOutput(
        many=True, help_text=_("Validation rules the report breaks; they prevent submitting, not saving.")
    )


# --- reports ------------------------------------------------------------------------------------


class ReportListParams(serializers.Serializer):
    unit = serializers.CharField(required=False, max_length=64, help_text=_("Unit code."))
    period = PeriodCodeField(required=False)
    form = serializers.CharField(required=False, max_length=40, help_text=_("Report form code."))
    status = serializers.ChoiceField(choices=Report.Status.choices, required=False)


class TransitionOutput(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    by = serializers.CharField(source="by.username", allow_null=True, default=None)
    at = serializers.DateTimeField()
    reason = serializers.CharField()


class ReportOutput(serializers.ModelSerializer):
    form = serializers.CharField(source="form.code")
    unit = serializers.CharField(source="unit.code")
    period = serializers.CharField(source="period.code")
    status_display = serializers.CharField(source="get_status_display")
    revision = serializers.IntegerField(
        help_text=_("Send it back with an action: a changed report answers 409.")
    )
    submitted_by = serializers.CharField(source="submitted_by.username", allow_null=True, default=None)
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    signed_by = serializers.CharField(source="signed_by.username", allow_null=True, default=None)

    class Meta:
        model = Report
        fields = [
            "id",
            "form",
            "unit",
            "period",
            "status",
            "status_display",
            "revision",
            "submitted_at",
            "submitted_by",
            "decided_at",
            "decided_by",
            "signed_at",
            "signed_by",
            "return_reason",
        ]


class ReportDetailOutput(ReportOutput):
    values = serializers.SerializerMethodField(help_text=_("Element code → value (null where empty)."))
    transitions = TransitionOutput(many=True)

    class Meta(ReportOutput.Meta):
        fields = [*ReportOutput.Meta.fields, "values", "transitions"]

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField(allow_null=True)))
    def get_values(self, report) -> dict:
        return self.context["values"]


class ActionInput(serializers.Serializer):
    revision = serializers.IntegerField(help_text=_("The report revision you saw."))
    reason = TextField(max_length=2000, help_text=_("Required to return or reopen a report."))


# --- analytics ----------------------------------------------------------------------------------


class TableParams(serializers.Serializer):
    unit = UnitCodeField(help_text=_("Unit code."))
    period = PeriodCodeField()


class AnalyticsParams(TableParams):
    indicator = IndicatorCodeField(help_text=_("Indicator code."))
    as_of = DateField(
        required=False,
        help_text=_("Aggregate under the tree of this date (default: the period's end)."),
    )


class FiguresOutput(serializers.Serializer):
    unit = serializers.CharField()
    period = serializers.CharField()
    indicator = serializers.CharField()
    as_of = serializers.DateField(help_text=_("The date of the tree the figures are aggregated under."))
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    value = serializers.FloatField(
        allow_null=True, help_text=_("numerator / denominator × factor; null if 0.")
    )
    target = serializers.FloatField(allow_null=True, help_text=_("The unit's own target, if one applies."))
    met = serializers.BooleanField(allow_null=True)
    target_units = serializers.IntegerField(
        help_text=_("Units beneath (itself included) with a target and a non-zero denominator.")
    )
    met_units = serializers.IntegerField(help_text=_("Of those, the units that meet their target."))
