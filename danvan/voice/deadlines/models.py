"""Models of the deadline engine: the statutory deadline rules and the administrators' calendar entries.

A rule says how long one step of one procedure may take and from which event, over a range of
dates; the cases' clocks (`cases.models.Clock`) point at the rule that governed them.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.core.dates import day_text

MAX_DAYS = 3650  # no statutory period is anywhere near ten years; a typo is
MIN_YEAR, MAX_YEAR = 1995, 2100  # the years the calendar pages and entries cover
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_.-]*$")


class CalendarDay(models.Model):
    """An administrator's entry for one date; it wins over the holiday library and the weekend.

    Each year the government announces its own changes (a bridge day off next to a holiday, a
    Saturday worked in exchange); they are entered here.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day")

    date = models.DateField(
        _("date"),
        unique=True,
        error_messages={"unique": _("There is already an entry for this date: remove it first.")},
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")

    def __str__(self):
        return f"{day_text(self.date)} – {self.get_kind_display()}"


class DeadlineRule(models.Model):
    """How long one step of one procedure may take, counted from one event, in force over a range of dates.

    `effective_to` is the last day the rule is in force (inclusive); empty means still in force.
    The rule that governs a clock is the one in force on the day the clock starts. Two rules for
    the same procedure and step never overlap, so a new law is a new rule and a closed old one.
    """

    class Procedure(models.TextChoices):
        COMPLAINT_FIRST = "complaint_first", _("First complaint")
        COMPLAINT_SECOND = "complaint_second", _("Second complaint")
        DENUNCIATION = "denunciation", _("Denunciation")
        PETITION = "petition", _("Petition")
        FEEDBACK = "feedback", _("Feedback")
        SUGGESTION = "suggestion", _("Suggestion")

    class Step(models.TextChoices):
        ACCEPT = "accept", _("Accept for handling")
        NOTIFY = "notify", _("Notify acceptance")
        TRANSFER = "transfer", _("Transfer")
        RESOLVE = "resolve", _("Resolve")
        EXTENSION = "extension", _("Extension")

    class Event(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACCEPTED = "accepted", _("Accepted")
        EXTENSION_DECIDED = "extension_decided", _("Extension decided")

    class DayUnit(models.TextChoices):
        CALENDAR = "calendar", _("Calendar days")
        WORKING = "working", _("Working days")

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        error_messages={"unique": _("A rule with this code already exists.")},
    )
    procedure = models.CharField(_("procedure"), max_length=20, choices=Procedure.choices)
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    counted_from = models.CharField(_("counted from"), max_length=20, choices=Event.choices)
    days = models.SmallIntegerField(_("days"))
    day_unit = models.CharField(_("day unit"), max_length=10, choices=DayUnit.choices)
    days_complex = models.SmallIntegerField(_("days when complex"), null=True, blank=True)
    days_remote = models.SmallIntegerField(_("days in remote areas"), null=True, blank=True)
    days_complex_remote = models.SmallIntegerField(
        _("days when complex, in remote areas"), null=True, blank=True
    )
    extensions_allowed = models.SmallIntegerField(_("extensions allowed"), default=0)
    extension_days = models.SmallIntegerField(_("days per extension"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    citation = models.CharField(_("legal citation"), max_length=300)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["procedure", "step", "effective_from"]
        verbose_name = _("deadline rule")
        indexes = [models.Index(fields=["procedure", "step", "effective_from"], name="voice_rule_in_force")]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="voice_rule_days_positive"),
            models.CheckConstraint(
                condition=Q(extensions_allowed__gte=0), name="voice_rule_extensions_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="voice_rule_effective_range",
            ),
        ]

    def __str__(self):
        return f"{self.code} ({self.citation})"

    def days_for(self, *, complex: bool = False, remote: bool = False) -> int:
        """The period for a case: a variant left empty falls back to the longest variant it combines, then to `days`."""
        if complex and remote:
            combined = self.days_complex_remote or max(self.days_complex or 0, self.days_remote or 0)
            return combined or self.days
        if complex:
            return self.days_complex or self.days
        if remote:
            return self.days_remote or self.days
        return self.days

    def overlapping(self) -> models.QuerySet:
        """Other rules for the same procedure and step whose effective range meets this one."""
        others = DeadlineRule.objects.filter(procedure=self.procedure, step=self.step).exclude(pk=self.pk)
        if self.effective_to is not None:
            others = others.filter(effective_from__lte=self.effective_to)
        return others.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from))

    def clean(self):
        errors: dict[str, list[str]] = {}

        def add(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        self.code = (self.code or "").strip().upper()
        self.citation = (self.citation or "").strip()
        if self.code and not CODE_PATTERN.match(self.code):
            add(
                "code",
                gettext("Use capital letters, digits, dots, hyphens and underscores only, e.g. KN1-RESOLVE."),
            )
        if not self.citation:
            add("citation", gettext("Give the legal citation, e.g. “Luật Khiếu nại 2011, Điều 28”."))
        if self.days is not None and not 1 <= self.days <= MAX_DAYS:
            add("days", gettext("The number of days must be between 1 and %(max)s.") % {"max": MAX_DAYS})
        for field in ("days_complex", "days_remote", "days_complex_remote"):
            value = getattr(self, field)
            if value is None:
                continue
            if not 1 <= value <= MAX_DAYS:
                add(field, gettext("The number of days must be between 1 and %(max)s.") % {"max": MAX_DAYS})
            elif self.days is not None and value < self.days:
                add(
                    field, gettext("A complex or remote case cannot get fewer days than the ordinary period.")
                )
        if self.days_complex_remote is not None and self.days_complex_remote < max(
            self.days_complex or 0, self.days_remote or 0
        ):
            add(
                "days_complex_remote",
                gettext(
                    "A complex case in a remote area cannot get fewer days than a complex or a remote one."
                ),
            )
        if self.extensions_allowed is not None and not 0 <= self.extensions_allowed <= 10:
            add("extensions_allowed", gettext("The number of extensions must be between 0 and 10."))
        elif self.extensions_allowed and self.extension_days is None:
            add("extension_days", gettext("Give the days of each extension."))
        if self.extension_days is not None:
            if not self.extensions_allowed:
                add(
                    "extension_days",
                    gettext("The rule allows no extension: leave the days per extension empty."),
                )
            elif not 1 <= self.extension_days <= MAX_DAYS:
                add(
                    "extension_days",
                    gettext("The number of days must be between 1 and %(max)s.") % {"max": MAX_DAYS},
                )
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            add("effective_to", gettext("The rule cannot end before it takes effect."))
        if not errors and self.procedure and self.step and self.effective_from:
            clash = self.overlapping().order_by("effective_from").first()
            if clash is not None:
                add("effective_from", overlap_message(clash))
        if errors:
            raise ValidationError(errors)


def overlap_message(clash: DeadlineRule) -> str:
    end = day_text(clash.effective_to) if clash.effective_to else gettext("no end date")
    return gettext(
        "Rule %(code)s already governs this procedure and step from %(start)s to %(end)s: the periods "
        "overlap. Close that rule first (effective to) or change the dates."
    ) % {"code": clash.code, "start": day_text(clash.effective_from), "end": end}
