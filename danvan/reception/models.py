"""The reception register (sổ tiếp công dân) and the leaders' reception days.

An `Entry` is one line of a unit's register as Thông tư 04/2021/TT-TTCP lays it out: numbered per
unit and year, the day, who came (sealed: `ciphertext`, under the identity keys of the voice
module, never in plain text), what about, the classification and the number of people, how it was
handled (accepted, returned with guidance, transferred) and the result followed up. Accepting an
entry opens a voice `Case` at the same unit; the entry points at it.

A `ReceptionDay` is a leader's reception day, planned and then logged (held or not, how many
citizens). `UnitSetting.commune_level` says the unit's leader must receive citizens every week
(Luật Tiếp công dân 2013, điểm d khoản 2 Điều 15) rather than every month (khoản 2 Điều 18).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.core.models import WrittenOnce
from danvan.voice.cases.models import Kind


class Handling(models.TextChoices):
    """The three ways of handling the form provides for (hướng xử lý)."""

    ACCEPT = "accept", _("Accept the submission for handling")
    RETURN = "return", _("Return the submission with guidance")
    TRANSFER = "transfer", _("Transfer the submission to the competent agency")


class UnitSetting(models.Model):
    """Per-unit settings of citizen reception: the organisation catalogue has no commune type."""

    unit = models.OneToOneField("orgs.Unit", on_delete=models.CASCADE, related_name="reception_setting")
    commune_level = models.BooleanField(_("commune level"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.unit.name


class ReceptionDay(models.Model):
    """A leader's reception day: planned (date, leader, place), then logged (held, citizens, note).

    `held` is None until the day is logged.
    """

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="reception_days")
    date = models.DateField(_("date"))
    leader_name = models.CharField(_("leader"), max_length=150)
    leader_position = models.CharField(_("position"), max_length=150)
    place = models.CharField(_("place"), max_length=300)
    held = models.BooleanField(_("held"), null=True, blank=True)
    citizens = models.PositiveIntegerField(_("citizens received"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    logged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["unit", "date"], name="reception_day_unit_date")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "date", "leader_name"], name="reception_day_once"),
            models.CheckConstraint(
                condition=Q(held=True) | Q(citizens__isnull=True) | Q(citizens=0),
                name="reception_day_citizens_only_if_held",
            ),
        ]

    def __str__(self):
        return f"{self.unit.name} – {self.date:%d/%m/%Y} – {self.leader_name}"


class Entry(models.Model):
    """One line of a unit's reception register."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="reception_entries")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField(_("number"))
    received_on = models.DateField(_("date of reception"))
    kind = models.CharField(_("classification"), max_length=20, choices=Kind.choices)
    people_count = models.PositiveIntegerField(_("number of people"), default=1)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # The person (name, address, identity document, representatives) as a Fernet token under the
    # identity keys (danvan.voice.identity.crypto), never in plain text; empty for an anonymous entry.
    ciphertext = models.BinaryField(blank=True, default=b"")
    # Set once the entry is a denunciation: the identity is shown only to the unit's case handlers.
    identity_protected = models.BooleanField(default=False)
    content = models.TextField(_("content"))
    previous_authority = models.CharField(_("agency that already handled it"), max_length=300, blank=True)
    handling = models.CharField(_("handling"), max_length=10, choices=Handling.choices, blank=True)
    transfer_to = models.CharField(_("transferred to"), max_length=300, blank=True)
    guidance = models.TextField(_("guidance given"), blank=True)
    result = models.TextField(_("follow-up of the result"), blank=True)
    note = models.TextField(_("note"), blank=True)
    receiver = models.CharField(_("received by"), max_length=150)
    leader_day = models.ForeignKey(
        ReceptionDay,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("leader's reception day"),
    )
    case = models.ForeignKey(
        "voice.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reception_entries",
        verbose_name=_("case"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "number"]
        verbose_name = _("reception register entry")
        indexes = [models.Index(fields=["unit", "received_on"], name="reception_entry_unit_day")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="reception_entry_number_once"),
            models.CheckConstraint(condition=Q(people_count__gte=1), name="reception_entry_people_positive"),
            models.CheckConstraint(
                condition=~Q(handling="transfer") | ~Q(transfer_to=""),
                name="reception_entry_transfer_has_target",
            ),
        ]

    def __str__(self):
        return f"{self.unit.name} – {self.number}/{self.year}"


class IdentityView(WrittenOnce):
    """Every time a protected identity of the register was shown: who, when, which entry, where. Written once."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=40)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.user_id} saw identity of entry {self.entry_id} ({self.what})"
