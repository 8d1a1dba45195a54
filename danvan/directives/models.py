"""Models of the directives module (issue 5): the document register comes first.

A `Document` is one entry of a unit's document register (sổ văn bản đến / đi): the unit that received
or issued it owns it (`unit`), so the register, the dissemination and the action programmes built on a
document all hang on that unit and the policy scopes them by its subtree. The number and symbol are
kept as written without spaces ("84-CV/ĐU"); `symbol_key` and `issuer_key` are their diacritic-free,
lowercase forms, so "Đảng ủy", "Đảng uỷ" and "ĐẢNG ỦY" are one issuer. A unit's register holds a
number and symbol once per issuer and year (constraint `directive_document_once`).

`DocumentRelation` says that a document implements, replaces or cites another one. Relations found
in the text are `automatic` and rebuilt whenever the document is saved; manual ones stay. The cited
document may not be registered yet: `to_document` is empty and the cited number, type and date are
kept, so the link is made when it arrives (services.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.dates import day_text

from .numbers import document_types


class Direction(models.TextChoices):
    INCOMING = "in", _("Incoming")
    OUTGOING = "out", _("Outgoing")


class SigningAuthority(models.TextChoices):
    """How the signer signs (thể thức ký, Nghị định 30/2020/NĐ-CP, Phụ lục I)."""

    NONE = "", _("In their own name")
    ON_BEHALF = "T/M", _("T/M. (on behalf of the collective)")
    DEPUTY = "KT.", _("KT. (deputy signing for the head)")
    BY_ORDER = "TL.", _("TL. (by order of the head)")
    AUTHORISED = "TUQ.", _("TUQ. (authorised by the head)")
    ACTING = "Q.", _("Q. (acting head)")


class RelationKind(models.TextChoices):
    IMPLEMENTS = "implements", _("implements")
    REPLACES = "replaces", _("replaces")
    CITES = "cites", _("cites")


def _original_path(instance, filename):  # the name is chosen by the service (a random token)
    return f"directives/{instance.unit_id}/{filename}"


def _attachment_path(instance, filename):
    return f"directives/{instance.document.unit_id}/attachments/{filename}"


class Document(models.Model):
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="documents", verbose_name=_("register of")
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    doc_type = models.CharField(_("type"), max_length=10)
    number_symbol = models.CharField(_("number and symbol"), max_length=100)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    symbol_key = models.CharField(max_length=100, editable=False)
    issuer = models.CharField(_("issuing body"), max_length=300)
    issuer_key = models.CharField(max_length=300, editable=False)
    parent_issuer = models.CharField(_("parent body"), max_length=300, blank=True)
    place = models.CharField(_("place"), max_length=150, blank=True)
    issued_on = models.DateField(_("date of issue"))
    year = models.PositiveSmallIntegerField(editable=False)
    subject = models.TextField(_("subject"))
    addressees = models.JSONField(_("addressees"), default=list, blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    signing_authority = models.CharField(
        _("signing authority"), max_length=5, choices=SigningAuthority.choices, blank=True
    )
    signing_for = models.CharField(_("signing for"), max_length=150, blank=True)  # "ĐẢNG ỦY" of "T/M ĐẢNG ỦY"
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    signer = models.CharField(_("signer"), max_length=150, blank=True)
    body = models.TextField(_("text"), blank=True)
    search_key = models.TextField(editable=False, default="")
    original = models.FileField(upload_to=_original_path, blank=True, max_length=300)
    original_name = models.CharField(max_length=150, blank=True)
    original_type = models.CharField(max_length=100, blank=True)
    original_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "-issued_on"], name="directive_doc_unit_date"),
            models.Index(fields=["symbol_key"], name="directive_doc_symbol"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "issuer_key", "year", "symbol_key"], name="directive_document_once"
            ),
        ]

    def __str__(self):
        return f"{self.number_symbol} ({day_text(self.issued_on)})"

    @property
    def type_name(self) -> str:
        return document_types().get(self.doc_type, self.doc_type)

    @property
    def signing_line(self) -> str:
        """ "T/M ĐẢNG ỦY" as the document writes it."""
        return " ".join(part for part in (self.signing_authority, self.signing_for) if part)


class DocumentAttachment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class DocumentRelation(models.Model):
    from_document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="relations")
    to_document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="cited_by"
    )
    kind = models.CharField(_("relation"), max_length=10, choices=RelationKind.choices)
    cited_number_symbol = models.CharField(_("cited number and symbol"), max_length=100)
    cited_key = models.CharField(max_length=100, editable=False)
    cited_type = models.CharField(_("cited type"), max_length=10, blank=True)
    cited_date = models.DateField(_("cited date"), null=True, blank=True)
    automatic = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["cited_key"], name="directive_rel_cited")]
        constraints = [
            models.UniqueConstraint(fields=["from_document", "cited_key"], name="directive_relation_once"),
        ]

    def __str__(self):
        return f"{self.from_document} – {self.get_kind_display()} – {self.cited_number_symbol}"


# ---------------------------------------------------------------- dissemination and study (item 7)


class StudyForm(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    CELL_MEETING = "cell_meeting", _("Party cell meeting")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other form")


class Delivery(models.Model):
    """A document sent to one unit for study (quán triệt): its receipt and its study sessions.

    A unit receives a document once (`directive_delivery_once`). `expected` is the number of people the
    unit must reach, as given with its latest session; `studied_on` the date of its first session.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="deliveries")
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="document_deliveries", verbose_name=_("unit")
    )
    sent_on = models.DateField(_("sent on"))
    study_due = models.DateField(_("study deadline"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    studied_on = models.DateField(_("studied on"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    expected = models.PositiveIntegerField(_("expected"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_id", "unit__path"]
        indexes = [
            models.Index(fields=["unit", "sent_on"], name="directive_delivery_unit"),
            models.Index(fields=["study_due", "studied_on"], name="directive_delivery_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["document", "unit"], name="directive_delivery_once"),
        ]

    def __str__(self):
        return f"{self.document} → {self.unit.name}"

    @property
    def reached(self) -> int:
        return min(self.participants, self.expected)


class StudySession(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    form = models.CharField(_("form"), max_length=20, choices=StudyForm.choices)
    participants = models.PositiveIntegerField(_("participants"))
    expected = models.PositiveIntegerField(_("expected"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"{self.delivery} – {day_text(self.held_on)}"
