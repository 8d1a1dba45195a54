"""Dialogues (đối thoại) between a unit's leader and its staff, citizens or an enterprise's workers, and
the issues raised in them with their follow-up.

A `Dialogue` is held on a day at a unit, led by a leader (name and position), with an audience, a number
of participants, a format and a place. Each `Issue` raised is answered by someone (a person or a unit, in
words) by a due date; its follow-up goes from open to answered to closed.

At an enterprise the employer organises a workplace dialogue at least once a year (Bộ luật Lao động
2019, Điều 63 khoản 2 điểm a: "Định kỳ ít nhất 01 năm một lần"): the coverage page lists the enterprises
with and without one (audience: workers or staff) in a year.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    STAFF = "staff", _("Officials and staff")
    CITIZENS = "citizens", _("Citizens")
    WORKERS = "workers", _("Workers of an enterprise")


class Format(models.TextChoices):
    DIRECT = "direct", _("Direct meeting")
    ONLINE = "online", _("Online")
    COMBINED = "combined", _("Direct and online combined")
    WRITTEN = "written", _("In writing")


class IssueState(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


#: The audiences of a workplace dialogue (Bộ luật Lao động 2019, Điều 63).
WORKPLACE = (Audience.WORKERS, Audience.STAFF)


class Dialogue(models.Model):
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="dialogues")
    held_on = models.DateField(_("date held"))
    leader_name = models.CharField(_("leader"), max_length=150)
    leader_position = models.CharField(_("position"), max_length=150, blank=True)
    audience = models.CharField(_("with"), max_length=20, choices=Audience.choices, default=Audience.STAFF)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.DIRECT)
    place = models.CharField(_("place"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit", "held_on"], name="dialogue_unit_held")]

    def __str__(self):
        return f"{self.unit.name} – {self.held_on:%d/%m/%Y} – {self.leader_name}"


class Issue(models.Model):
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="issues")
    content = models.TextField(_("issue raised"))
    answerer = models.CharField(_("to be answered by"), max_length=300, blank=True)
    due_on = models.DateField(_("answer due by"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    state = models.CharField(
        _("follow-up"), max_length=20, choices=IssueState.choices, default=IssueState.OPEN
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dialogue", "id"]
        indexes = [models.Index(fields=["state", "due_on"], name="dialogue_issue_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open") | Q(answered_on__isnull=False), name="dialogue_issue_answered_on"
            ),
        ]

    def __str__(self):
        return self.content[:80]
