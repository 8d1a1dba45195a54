"""Serializers of the units API: small input serializers per operation, plain output serializers.

Units are named by code everywhere (never by id or path). Input serializers only parse and check
shapes; the services decide what is allowed and say why not.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.validators import UniqueValidator

from danvan.core.api import CodeRelatedField, DateField, TextField
from danvan.orgs.models import MobilisationLead, Unit, UnitGroup, UnitType
from danvan.orgs.regulation import regulation_file_validator
from danvan.orgs.services import NewUnit

# --- references by code -------------------------------------------------------------------------


class UnitCodeField(CodeRelatedField):
    """A unit named by its code."""

    default_error_messages = {
        "does_not_exist": _("There is no unit with code “{value}”."),
        "invalid": _("Enter a unit code."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Unit.objects.all(), **kwargs)


class UnitTypeCodeField(CodeRelatedField):
    default_error_messages = {
        "does_not_exist": _("Unknown unit type “{value}”."),
        "invalid": _("Enter a unit type code."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=UnitType.objects.all(), **kwargs)


class UnitGroupCodeField(CodeRelatedField):
    default_error_messages = {
        "does_not_exist": _("Unknown unit group “{value}”."),
        "invalid": _("Enter a unit group code."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=UnitGroup.objects.all(), **kwargs)


# --- query parameters ---------------------------------------------------------------------------


class AsOfParams(serializers.Serializer):
    as_of = DateField(required=False, help_text=_("The date the tree is read on (default: today)."))


class UnitListParams(AsOfParams):
    q = serializers.CharField(
        required=False, max_length=200, help_text=_("Words of the name, short name or code.")
    )
    parent = serializers.CharField(  # type: ignore[assignment]  # a field named parent: DRF's metaclass takes it off the class
        required=False, max_length=64, help_text=_("Only the units directly under it.")
    )
    type = serializers.CharField(required=False, max_length=40, help_text=_("Unit type code."))
    group = serializers.CharField(required=False, max_length=40, help_text=_("Unit group code."))
    include_dissolved = serializers.BooleanField(
        required=False, default=False, help_text=_("Also list units dissolved before the date.")
    )


# --- output -------------------------------------------------------------------------------------


class LeadOutput(serializers.ModelSerializer):
    class Meta:
        model = MobilisationLead
        fields = ["full_name", "position", "phone", "email", "assigned_on", "ended_on"]


class UnitOutput(serializers.Serializer):
    """A unit as it stood on a date (one of its versions), without internal ids or paths."""

    code = serializers.CharField(source="unit.code")
    name = serializers.CharField()
    short_name = serializers.CharField()
    type = serializers.CharField(source="unit_type.code")
    groups = serializers.SerializerMethodField()
    parent_code = serializers.CharField(source="parent.code", allow_null=True)
    depth = serializers.IntegerField()
    valid_from = serializers.DateField(
        source="unit.valid_from", help_text=_("The first day the unit exists.")
    )
    valid_to = serializers.DateField(
        source="unit.valid_to",
        allow_null=True,
        help_text=_("The first day it no longer exists; empty: in force."),
    )
    is_active = serializers.SerializerMethodField(
        help_text=_("Whether the unit exists on the date asked for.")
    )
    lead = serializers.SerializerMethodField()
    regulation_number = serializers.CharField(source="unit.regulation_number")
    regulation_signed_on = serializers.DateField(source="unit.regulation_signed_on", allow_null=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_groups(self, version) -> list[str]:
        return sorted(group.code for group in version.groups.all())

    def get_is_active(self, version) -> bool:
        return version.covers(self.context["as_of"])

    @extend_schema_field(LeadOutput(allow_null=True))
    def get_lead(self, version):
        leads = getattr(version.unit, "leads_on", None)
        return LeadOutput(leads[0]).data if leads else None


class UnitChildOutput(UnitOutput):
    child_count = serializers.IntegerField(help_text=_("Units directly under it on the date."))


class VersionOutput(serializers.Serializer):
    name = serializers.CharField()
    short_name = serializers.CharField()
    type = serializers.CharField(source="unit_type.code")
    groups = serializers.SerializerMethodField()
    parent_code = serializers.CharField(source="parent.code", allow_null=True)
    depth = serializers.IntegerField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_groups(self, version) -> list[str]:
        return sorted(group.code for group in version.groups.all())


class EventOutput(serializers.Serializer):
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    effective_on = serializers.DateField()
    summary = serializers.CharField()
    details = serializers.JSONField()
    decision = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.username", allow_null=True)
    recorded_at = serializers.DateTimeField()


class PredecessorOutput(serializers.Serializer):
    code = serializers.CharField(source="predecessor.code")
    name = serializers.CharField(source="predecessor.name")
    kind = serializers.CharField()
    effective_on = serializers.DateField()


class SuccessorOutput(serializers.Serializer):
    code = serializers.CharField(source="successor.code")
    name = serializers.CharField(source="successor.name")
    kind = serializers.CharField()
    effective_on = serializers.DateField()


class HistoryOutput(serializers.Serializer):
    code = serializers.CharField()
    versions = VersionOutput(many=True)
    events = EventOutput(many=True)
    predecessors = PredecessorOutput(many=True)
    successors = SuccessorOutput(many=True)


# --- input: restructuring -----------------------------------------------------------------------


class NewUnitInput(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    name = TextField(max_length=255, required=True, allow_blank=False)
    short_name = TextField(max_length=120)
    type = UnitTypeCodeField()
    groups = UnitGroupCodeField(many=True, required=False, default=list)
    parent = UnitCodeField(  # type: ignore[assignment]  # a field named parent: DRF's metaclass takes it off the class
        required=False, allow_null=True, default=None, help_text=_("Parent unit code.")
    )


def new_unit(data: dict) -> NewUnit:
    """The service's spec from validated `NewUnitInput` data."""
    return NewUnit(
        code=data["code"],
        name=data["name"],
        short_name=data["short_name"],
        unit_type=data["type"],
        groups=list(data["groups"]),
        parent=data["parent"],
    )


class DecisionInput(serializers.Serializer):
    decision = TextField(max_length=200, help_text=_("The decision that ordered it."))


class EffectiveInput(DecisionInput):
    effective_on = DateField()


class UnitCreateInput(NewUnitInput, DecisionInput):
    valid_from = DateField()


class UnitChangeInput(EffectiveInput):
    # left out: unchanged (no default)
    name = TextField(max_length=255, allow_blank=False, default=empty)
    short_name = TextField(max_length=120, default=empty)
    type = UnitTypeCodeField(required=False)
    groups = UnitGroupCodeField(many=True, required=False, allow_empty=True)


class UnitMoveInput(EffectiveInput):
    parent = UnitCodeField(  # type: ignore[assignment]  # a field named parent: DRF's metaclass takes it off the class
        allow_null=True, help_text=_("The new parent's code; null makes the unit a root.")
    )


class UnitMergeInput(EffectiveInput):
    units = UnitCodeField(
        many=True, required=False, default=list, help_text=_("Other units merged together with this one.")
    )
    into = UnitCodeField(required=False, allow_null=True, default=None, help_text=_("An existing successor."))
    new = NewUnitInput(required=False, allow_null=True, default=None, help_text=_("Or a new successor."))


class UnitSplitInput(EffectiveInput):
    into = NewUnitInput(many=True, help_text=_("The new units (at least two)."))
    children = serializers.DictField(
        child=serializers.CharField(max_length=64),
        required=False,
        default=dict,
        help_text=_("Code of a unit under it -> code of the new unit that takes it (default: the first)."),
    )


class LeadInput(serializers.Serializer):
    full_name = TextField(max_length=150, required=True, allow_blank=False)
    position = TextField(max_length=150)
    phone = TextField(max_length=30)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    assigned_on = DateField()


class RegulationInput(serializers.Serializer):
    regulation_number = TextField(max_length=60, required=True, allow_blank=False)
    regulation_signed_on = DateField()
    regulation_file = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        validators=[regulation_file_validator],  # PDF or DOCX, at most 10 MB: the same check as the form
        help_text=_("Document (PDF or DOCX, at most 10 MB)"),
    )


# --- catalogues ---------------------------------------------------------------------------------

_CODE_ERRORS: dict[str, Any] = {"invalid": _("Use only letters, digits, '_' or '-' in the code.")}


def _unique_code(queryset):
    return UniqueValidator(queryset=queryset, lookup="iexact", message=_("This code is already used."))


class UnitTypeSerializer(serializers.Serializer):
    code = serializers.SlugField(
        max_length=40, error_messages=_CODE_ERRORS, validators=[_unique_code(UnitType.objects.all())]
    )
    name = TextField(max_length=120, required=True, allow_blank=False)
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False, default=100)


class UnitGroupSerializer(serializers.Serializer):
    code = serializers.SlugField(
        max_length=40, error_messages=_CODE_ERRORS, validators=[_unique_code(UnitGroup.objects.all())]
    )
    name = TextField(max_length=120, required=True, allow_blank=False)
    description = TextField()
