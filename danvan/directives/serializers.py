"""Serializers of the documents and dissemination API: input serializers that parse shapes, plain outputs.

Input serializers only parse shapes; the services (`services.document_save`, `dissemination.send`,
`dissemination.session_record` …) decide what is allowed and say why not, in Vietnamese. So most text,
number and date fields are optional here and an empty one gets the service's own message.

Units, unit types and groups are named by their codes. Download links point at the register's own
pages (`directives:original`, `directives:attachment`), which ask the policy again on every download.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from danvan.core.api import BoundedListField, DateField, TextField
from danvan.orgs.api.serializers import UnitCodeField, UnitGroupCodeField, UnitTypeCodeField

from .models import Delivery, Direction, DocumentAttachment, SigningAuthority, StudyForm, StudySession
from .numbers import document_types

MAX_UNITS = 1000


def _absolute(serializer: serializers.Serializer, url: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


# --- query parameters ---------------------------------------------------------------------------


class DocumentListParams(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        max_length=200,
        help_text=_("Words to look for, with or without accents (number, subject, issuer, signer, text)."),
    )
    type = serializers.ChoiceField(required=False, choices=list(document_types()))
    direction = serializers.ChoiceField(required=False, choices=Direction.choices)
    year = serializers.IntegerField(required=False, min_value=1930, max_value=2100)
    unit = serializers.CharField(
        required=False, max_length=64, help_text=_("Unit code: the registers of its whole subtree.")
    )
    issued_from = DateField(required=False, help_text=_("Issued on or after this day."))
    issued_to = DateField(required=False, help_text=_("Issued on or before this day."))

    def validate(self, attrs):
        start, end = attrs.get("issued_from"), attrs.get("issued_to")
        if start and end and start > end:
            raise serializers.ValidationError({"issued_to": _("The end date is before the start date.")})
        return attrs


class CoverageParams(serializers.Serializer):
    parent = serializers.CharField(
        required=False,
        max_length=64,
        help_text=_("Unit code: the study below this unit (default: the unit that holds the document)."),
    )


class DeliveryListParams(serializers.Serializer):
    to_study = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("true: only the documents my units received for study."),
    )
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: the study deadline has passed without any session; false: the others."),
    )
    studied = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("true: at least one session recorded.")
    )
    document = serializers.IntegerField(required=False, min_value=1, max_value=10**18)
    unit = serializers.CharField(
        required=False, max_length=64, help_text=_("Unit code: deliveries received in its whole subtree.")
    )


# --- input --------------------------------------------------------------------------------------


def _lines(help_text=None) -> serializers.ListField:
    return serializers.ListField(
        child=TextField(required=True, trim_whitespace=False),
        required=False,
        default=list,
        max_length=1000,
        help_text=help_text,
    )


class DocumentInput(serializers.Serializer):
    """A document of a unit's register. A field left out of a PATCH keeps the document's value."""

    unit = UnitCodeField(help_text=_("Code of the unit whose register holds the document."))
    direction = serializers.ChoiceField(choices=Direction.choices)
    doc_type = serializers.ChoiceField(choices=list(document_types()))
    number_symbol = TextField(trim_whitespace=False, help_text=_("Number and symbol, as “84-CV/ĐU”."))
    issuer = TextField(trim_whitespace=False, help_text=_("Issuing body."))
    issued_on = DateField(required=False, allow_null=True, default=None, help_text=_("Date of issue."))
    subject = TextField(trim_whitespace=False, help_text=_("What the document is about."))
    parent_issuer = TextField(trim_whitespace=False)
    place = TextField(trim_whitespace=False)
    addressees = _lines(_("Addressees (kính gửi), one per item."))
    recipients = _lines(_("Recipients (nơi nhận), one per item."))
    signing_authority = serializers.ChoiceField(
        choices=SigningAuthority.choices, required=False, allow_blank=True, default=""
    )
    signing_for = TextField(trim_whitespace=False, help_text=_("As “ĐẢNG ỦY” in “T/M ĐẢNG ỦY”."))
    signer_title = TextField(trim_whitespace=False)
    signer = TextField(trim_whitespace=False)
    body = TextField(trim_whitespace=False, help_text=_("The full text."))


class FileInput(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, use_url=False)


class SendInput(serializers.Serializer):
    """Who receives the document: the union of every criterion given, among the active units below
    the unit that holds it. A unit that already received it is skipped."""

    units = BoundedListField(
        child=UnitCodeField(),
        required=False,
        default=list,
        max_length=MAX_UNITS,
        help_text=_("Codes of units chosen one by one."),
    )
    unit_type = UnitTypeCodeField(
        required=False, allow_null=True, default=None, help_text=_("Every unit of this type.")
    )
    group = UnitGroupCodeField(
        required=False, allow_null=True, default=None, help_text=_("Every unit of this group.")
    )
    subtree = UnitCodeField(
        required=False, allow_null=True, default=None, help_text=_("This unit and every unit under it.")
    )
    study_due = DateField(required=False, allow_null=True, default=None, help_text=_("The study deadline."))


class SessionInput(serializers.Serializer):
    held_on = DateField(required=False, allow_null=True, default=None, help_text=_("Date of the session."))
    form = serializers.ChoiceField(choices=StudyForm.choices, required=False, allow_blank=True, default="")
    participants = serializers.IntegerField(required=False, allow_null=True, default=None)
    expected = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The number of people the unit must reach."),
    )
    note = TextField(trim_whitespace=False)


# --- output -------------------------------------------------------------------------------------


class AttachmentOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("Download address (the register's page)."))

    class Meta:
        model = DocumentAttachment
        fields = ["id", "name", "content_type", "size", "sha256", "created_at", "url"]

    def get_url(self, attachment) -> str:
        return _absolute(self, reverse("directives:attachment", args=[attachment.pk]))


class OriginalOutput(serializers.Serializer):
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField(source="original_type")
    sha256 = serializers.CharField(source="original_sha256")
    url = serializers.SerializerMethodField(help_text=_("Download address (the register's page)."))

    def get_url(self, document) -> str:
        return _absolute(self, reverse("directives:original", args=[document.pk]))


class DocumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code", help_text=_("Code of the unit whose register holds it."))
    unit_name = serializers.CharField(source="unit.name")
    direction = serializers.CharField()
    direction_display = serializers.CharField(source="get_direction_display")
    doc_type = serializers.CharField()
    type_name = serializers.CharField()
    number_symbol = serializers.CharField()
    number = serializers.IntegerField(allow_null=True)
    issuer = serializers.CharField()
    parent_issuer = serializers.CharField()
    place = serializers.CharField()
    issued_on = serializers.DateField()
    year = serializers.IntegerField()
    subject = serializers.CharField()
    signing_authority = serializers.CharField()
    signing_for = serializers.CharField()
    signer_title = serializers.CharField()
    signer = serializers.CharField()
    has_original = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_has_original(self, document) -> bool:
        return bool(document.original)


class OutgoingRelationOutput(serializers.Serializer):
    """What the document refers to. `document` is set when the cited one is registered and visible."""

    id = serializers.IntegerField(source="relation.id")
    kind = serializers.CharField(source="relation.kind")
    kind_display = serializers.CharField(source="relation.get_kind_display")
    cited_number_symbol = serializers.CharField(source="relation.cited_number_symbol")
    cited_type = serializers.CharField(source="relation.cited_type")
    cited_date = serializers.DateField(source="relation.cited_date", allow_null=True)
    automatic = serializers.BooleanField(source="relation.automatic")
    document = serializers.IntegerField(source="target.id", allow_null=True, default=None)
    document_subject = serializers.CharField(source="target.subject", allow_null=True, default=None)


class IncomingRelationOutput(serializers.Serializer):
    """A visible document that refers to this one."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    document = serializers.IntegerField(source="from_document.id")
    number_symbol = serializers.CharField(source="from_document.number_symbol")
    issued_on = serializers.DateField(source="from_document.issued_on")
    subject = serializers.CharField(source="from_document.subject")


class RelationsOutput(serializers.Serializer):
    outgoing = OutgoingRelationOutput(many=True)
    incoming = IncomingRelationOutput(many=True)


class DocumentDetailOutput(DocumentOutput):
    addressees = serializers.ListField(child=serializers.CharField())
    recipients = serializers.ListField(child=serializers.CharField())
    body = serializers.CharField()
    original = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    relations = serializers.SerializerMethodField(
        help_text=_("References both ways, as far as the user may see.")
    )
    may_manage = serializers.SerializerMethodField(help_text=_("Whether the user may change the document."))

    @extend_schema_field(OriginalOutput(allow_null=True))
    def get_original(self, document):
        return OriginalOutput(document, context=self.context).data if document.original else None

    @extend_schema_field(AttachmentOutput(many=True))
    def get_attachments(self, document):
        return AttachmentOutput(document.attachments.all(), many=True, context=self.context).data

    @extend_schema_field(RelationsOutput)
    def get_relations(self, document):
        return RelationsOutput(self.context["relations"]).data

    def get_may_manage(self, document) -> bool:
        return bool(self.context.get("may_manage"))


class ParsedReferenceOutput(serializers.Serializer):
    number_symbol = serializers.CharField()
    type = serializers.CharField(allow_null=True)
    date = serializers.DateField(allow_null=True)


class ParsedTargetOutput(serializers.Serializer):
    text = serializers.CharField()
    percent = serializers.FloatField()


class ParsedRecurrenceOutput(serializers.Serializer):
    every = serializers.ChoiceField(choices=["semiannual", "annual"])
    day = serializers.IntegerField(allow_null=True)
    month = serializers.IntegerField(allow_null=True)


class ParsedTaskOutput(serializers.Serializer):
    text = serializers.CharField()
    lead = serializers.CharField(allow_null=True)
    coordinating = serializers.ListField(child=serializers.CharField())
    due = serializers.DateField(allow_null=True)
    recurrence = ParsedRecurrenceOutput(allow_null=True)


class ParsedDocumentOutput(serializers.Serializer):
    """The fields read from the file: the JSON of `danvan parse-document --json`. Nothing is saved."""

    type = serializers.CharField(allow_null=True)
    number_symbol = serializers.CharField(allow_null=True)
    issuer = serializers.CharField(allow_null=True)
    parent_issuer = serializers.CharField(allow_null=True)
    place = serializers.CharField(allow_null=True)
    issued_on = serializers.DateField(allow_null=True)
    subject = serializers.CharField(allow_null=True)
    addressees = serializers.ListField(child=serializers.CharField())
    recipients = serializers.ListField(child=serializers.CharField())
    signing_authority = serializers.CharField(allow_null=True)
    signer_title = serializers.CharField(allow_null=True)
    signer = serializers.CharField(allow_null=True)
    references = ParsedReferenceOutput(many=True)
    targets = ParsedTargetOutput(many=True)
    tasks = ParsedTaskOutput(many=True)


class StudySessionOutput(serializers.ModelSerializer):
    form_display = serializers.CharField(source="get_form_display")
    recorded_by = serializers.IntegerField(source="recorded_by_id", allow_null=True, help_text=_("User id."))

    class Meta:
        model = StudySession
        fields = [
            "id",
            "held_on",
            "form",
            "form_display",
            "participants",
            "expected",
            "note",
            "recorded_by",
            "created_at",
        ]


class DeliveryOutput(serializers.ModelSerializer):
    document = serializers.IntegerField(source="document_id")
    number_symbol = serializers.CharField(source="document.number_symbol")
    subject = serializers.CharField(source="document.subject")
    issued_on = serializers.DateField(source="document.issued_on")
    sender = serializers.CharField(source="document.unit.code", help_text=_("Code of the unit that sent it."))
    unit = serializers.CharField(source="unit.code", help_text=_("Code of the unit that received it."))
    unit_name = serializers.CharField(source="unit.name")
    acknowledged = serializers.SerializerMethodField()
    reached = serializers.IntegerField(
        help_text=_("People reached: the participants, at most the number expected.")
    )
    overdue = serializers.SerializerMethodField(
        help_text=_("The study deadline has passed without any session.")
    )

    class Meta:
        model = Delivery
        fields = [
            "id",
            "document",
            "number_symbol",
            "subject",
            "issued_on",
            "sender",
            "unit",
            "unit_name",
            "sent_on",
            "study_due",
            "acknowledged",
            "acknowledged_at",
            "studied_on",
            "participants",
            "expected",
            "reached",
            "overdue",
        ]

    def get_acknowledged(self, delivery) -> bool:
        return delivery.acknowledged_at is not None

    def get_overdue(self, delivery) -> bool:
        today = self.context["today"]
        return delivery.studied_on is None and delivery.study_due is not None and delivery.study_due < today


class DeliveryDetailOutput(DeliveryOutput):
    sessions = StudySessionOutput(many=True)
    may_act = serializers.SerializerMethodField(
        help_text=_("Whether the user may acknowledge receipt and record sessions.")
    )

    class Meta(DeliveryOutput.Meta):
        fields = [*DeliveryOutput.Meta.fields, "sessions", "may_act"]

    def get_may_act(self, delivery) -> bool:
        return bool(self.context.get("may_act"))


class SendOutput(serializers.Serializer):
    sent = DeliveryOutput(many=True, help_text=_("The deliveries made now."))
    skipped = serializers.IntegerField(help_text=_("Units chosen that had already received the document."))


class CoverageRowOutput(serializers.Serializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    received = serializers.IntegerField(help_text=_("Units that received the document."))
    studied = serializers.IntegerField(help_text=_("… of which recorded a study session."))
    unit_rate = serializers.FloatField(allow_null=True, help_text=_("Studied / received, in per cent."))
    reached = serializers.IntegerField(help_text=_("People reached."))
    expected = serializers.IntegerField(help_text=_("People expected."))
    people_rate = serializers.FloatField(allow_null=True, help_text=_("Reached / expected, in per cent."))


class CoverageOutput(serializers.Serializer):
    parent = serializers.CharField(source="cover.parent.code")
    parent_name = serializers.CharField(source="cover.parent.name")
    total = CoverageRowOutput(source="cover.total")
    rows = CoverageRowOutput(
        source="cover.rows", many=True, help_text=_("The parent itself (if it received), then each branch.")
    )
    overdue = DeliveryOutput(many=True, help_text=_("Deliveries below the parent whose study is overdue."))
