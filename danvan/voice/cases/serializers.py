"""Serializers of the cases API: small input serializers per action, plain output serializers.

Output serializers list their fields one by one and none of them reaches `Case.identity`: the
API never returns who sent a case (name, address, phone, e-mail, identity document), to anyone.
That has its own page, which logs every view (views/identity.py). Attachments are left out too:
their file names may carry a name, and protected ones are identity papers.

Input serializers only parse shapes; the services (`services.py`) decide what is allowed and say why
not, so most text and date fields are optional here and an empty one gets the service's message.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from danvan.core.api import DateField, TextField
from danvan.orgs.api.serializers import UnitCodeField

from . import workflow
from .models import Case, CaseEvent, CaseLink, CasePause, Channel, Clock, Extension, Kind, State

Action = CaseEvent.Action

# --- query parameters ---------------------------------------------------------------------------


class CaseListParams(serializers.Serializer):
    unit = serializers.CharField(
        required=False, max_length=64, help_text=_("Unit code: the cases of its whole subtree.")
    )
    kind = serializers.ChoiceField(required=False, choices=Kind.choices)
    state = serializers.ChoiceField(required=False, choices=State.choices)
    channel = serializers.ChoiceField(required=False, choices=Channel.choices)
    received_from = DateField(required=False, help_text=_("Received on or after this day."))
    received_to = DateField(required=False, help_text=_("Received on or before this day."))
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: cases with a running period past its due date; false: the others."),
    )

    def validate(self, attrs):
        start, end = attrs.get("received_from"), attrs.get("received_to")
        if start and end and start > end:
            raise serializers.ValidationError({"received_to": _("The end date is before the start date.")})
        return attrs


# --- input --------------------------------------------------------------------------------------


def _day(help_text=None) -> DateField:
    return DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=help_text or _("The day it happened (default: today)."),
    )


class IdentityInput(serializers.Serializer):
    """Who sent the case. Stored encrypted apart from the case file; no API response ever returns it."""

    name = TextField(help_text=_("Full name."))
    address = TextField()
    phone = TextField()
    email = TextField()
    id_number = TextField(help_text=_("Identity document number."))


class CaseCreateInput(serializers.Serializer):
    unit = UnitCodeField(help_text=_("Code of the responsible unit."))
    kind = serializers.ChoiceField(choices=Kind.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    subject = TextField()
    content = TextField()
    received_on = _day(_("The day it was received (default: today)."))
    people_count = serializers.IntegerField(required=False, default=1, min_value=1)
    anonymous = serializers.BooleanField(required=False, default=False)
    is_over_level = serializers.BooleanField(required=False, default=False)
    identity = IdentityInput(required=False, allow_null=True, default=None, write_only=True)
    with_tracking_code = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Give the submitter a tracking code (returned once, in this response only)."),
    )


class DayInput(serializers.Serializer):
    day = _day()


class ReasonInput(DayInput):
    reason = TextField()


class RejectInput(ReasonInput):
    public_note = TextField(help_text=_("The answer shown to the submitter on the tracking page."))


class TransferInput(ReasonInput):
    to_unit = UnitCodeField(help_text=_("Code of the competent unit the case goes to."))


class ClassifyInput(serializers.Serializer):
    """What the case is and how hard it is; a field left out keeps the case's current value."""

    kind = serializers.ChoiceField(required=False, choices=Kind.choices)
    is_complex = serializers.BooleanField(required=False)
    is_especially_complex = serializers.BooleanField(required=False)
    is_remote = serializers.BooleanField(required=False)
    is_over_level = serializers.BooleanField(required=False)
    people_count = serializers.IntegerField(required=False, min_value=1)
    reason = TextField(help_text=_("Required when the kind changes."))


class AssignInput(serializers.Serializer):
    handler = serializers.IntegerField(
        allow_null=True, min_value=1, max_value=10**18, help_text=_("User id of the handler; null: none.")
    )


class ExtendInput(serializers.Serializer):
    decision_number = TextField()
    decision_date = _day(_("Date of the written extension decision."))
    reason = TextField()


class ResolveInput(serializers.Serializer):
    decision_number = TextField(
        help_text=_("Number of the decision (or conclusion); optional for petitions and feedback.")
    )
    decision_date = _day(_("Date of the decision."))
    summary = TextField()
    public_note = TextField(help_text=_("The answer shown to the submitter on the tracking page."))


class LinkInput(serializers.Serializer):
    other = serializers.IntegerField(min_value=1, max_value=10**18, help_text=_("Id of the other case."))
    kind = serializers.ChoiceField(choices=CaseLink.Kind.choices)


# --- output -------------------------------------------------------------------------------------


def today() -> datetime.date:
    return timezone.localdate()


class CaseClockOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    step_display = serializers.CharField(source="get_step_display")
    rule = serializers.CharField(source="rule.code")
    citation = serializers.CharField(source="rule.citation")
    day_unit = serializers.CharField(source="rule.day_unit")
    running = serializers.BooleanField()
    on_time = serializers.BooleanField(
        allow_null=True, help_text=_("Stopped by the due date; null while running or when cancelled.")
    )
    overdue = serializers.SerializerMethodField(help_text=_("Running and past its due date."))

    class Meta:
        model = Clock
        fields = [
            "id",
            "unit",
            "step",
            "step_display",
            "rule",
            "citation",
            "day_unit",
            "started_on",
            "days",
            "due_on",
            "extensions",
            "stopped_on",
            "cancelled",
            "running",
            "on_time",
            "overdue",
        ]

    def get_overdue(self, clock) -> bool:
        return clock.stopped_on is None and clock.due_on < today()


class CaseEventOutput(serializers.ModelSerializer):
    """One step of the history. `details` holds days, kinds, unit ids and codes: never an identity."""

    action_display = serializers.CharField(source="get_action_display")
    unit = serializers.CharField(source="unit.code")
    actor = serializers.IntegerField(source="actor_id", allow_null=True, help_text=_("User id."))
    details = serializers.DictField()

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "at",
            "action",
            "action_display",
            "from_state",
            "to_state",
            "unit",
            "actor",
            "reason",
            "details",
            "public",
        ]


class CaseExtensionOutput(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = ["decision_number", "decision_date", "reason"]


class CasePauseOutput(serializers.ModelSerializer):
    class Meta:
        model = CasePause
        fields = ["started_on", "ended_on", "reason"]


class CaseLinkOutput(serializers.Serializer):
    other = serializers.IntegerField(source="other_id")
    other_reference = serializers.CharField(source="other.reference")
    kind = serializers.CharField()


class CaseOutput(serializers.ModelSerializer):
    """A case in a list: what it is, where it stands, and its nearest due date. No identity."""

    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    handler = serializers.IntegerField(source="handler_id", allow_null=True, help_text=_("User id."))
    kind_display = serializers.CharField(source="get_kind_display")
    channel_display = serializers.CharField(source="get_channel_display")
    state_display = serializers.CharField(source="get_state_display")
    is_mass = serializers.BooleanField(help_text=_("Five people or more."))
    overdue = serializers.SerializerMethodField(help_text=_("A running period is past its due date."))
    next_due_on = serializers.SerializerMethodField(help_text=_("The nearest due date of a running period."))

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "unit",
            "unit_name",
            "handler",
            "kind",
            "kind_display",
            "channel",
            "channel_display",
            "state",
            "state_display",
            "subject",
            "received_on",
            "people_count",
            "is_mass",
            "anonymous",
            "is_complex",
            "is_especially_complex",
            "is_remote",
            "is_over_level",
            "identity_protected",
            "finished_on",
            "overdue",
            "next_due_on",
            "updated_at",
        ]

    def _running(self, case) -> list[Clock]:
        return [clock for clock in case.clocks.all() if clock.stopped_on is None]

    def get_overdue(self, case) -> bool:
        if hasattr(case, "api_overdue"):
            return case.api_overdue
        return any(clock.due_on < today() for clock in self._running(case))

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_next_due_on(self, case):
        if hasattr(case, "api_next_due"):
            return case.api_next_due
        dates = [clock.due_on for clock in self._running(case)]
        return min(dates) if dates else None


class CaseDetailOutput(CaseOutput):
    """A case with its file, decision, clocks, extensions, pauses and links. No identity."""

    clocks = CaseClockOutput(many=True)
    extensions = CaseExtensionOutput(many=True)
    pauses = CasePauseOutput(many=True)
    links = serializers.SerializerMethodField(help_text=_("Linked cases the user may see."))
    actions = serializers.SerializerMethodField(help_text=_("Actions the case's state allows now."))

    class Meta(CaseOutput.Meta):
        fields = [
            *CaseOutput.Meta.fields,
            "content",
            "received_at",
            "public_note",
            "decision_number",
            "decision_date",
            "decision_summary",
            "clocks",
            "extensions",
            "pauses",
            "links",
            "actions",
        ]

    @extend_schema_field(CaseLinkOutput(many=True))
    def get_links(self, case):
        visible = self.context.get("visible_cases")
        links = [link for link in case.links.all() if visible is None or link.other_id in visible]
        return CaseLinkOutput(links, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, case) -> list[str]:
        return sorted(str(action) for action in workflow.allowed(case.state))


class CaseCreatedOutput(CaseDetailOutput):
    tracking_code = serializers.CharField(
        allow_null=True,
        help_text=_("The submitter's tracking code, when asked for: shown once, never stored in clear."),
    )

    class Meta(CaseDetailOutput.Meta):
        fields = [*CaseDetailOutput.Meta.fields, "tracking_code"]
