"""Inspection and supervision of mobilisation work (kiểm tra, giám sát; issue 14, item 8).

An `Inspection` is a programme or plan of one inspecting unit (`unit`): its kind (inspection or
supervision), the plan's document reference, the year, the planned dates and its state (planned, in
progress, concluded — only forward). It names the units it inspects (`Target`, one per inspected
unit): each inspected unit lies strictly inside the inspecting unit's subtree (a unit inspects the
units below it; the services refuse any other). For each inspected unit the inspecting unit records
when it was conducted, the findings (strengths, shortcomings) and the conclusion, and its
recommendations and remedies (`Remedy`): the content, the deadline and the follow-up the inspected
unit records (remedied on, the result). A remedy is open or remedied (only forward); overdue is never
stored: an open remedy past its deadline.

Who sees what: the inspecting unit's people and those above it see the whole programme; an inspected
unit's people (and those above it) see the programme and only their own unit's results and remedies.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    SUPERVISION = "supervision", _("Supervision of the work")


class State(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("Under way")
    CONCLUDED = "concluded", _("Concluded")


STATE_ORDER = [State.PLANNED, State.IN_PROGRESS, State.CONCLUDED]


class RemedyState(models.TextChoices):
    OPEN = "open", _("Not remedied yet")
    REMEDIED = "remedied", _("Remedied")


OVERDUE = "overdue"  # an open remedy past its deadline (never stored)

# How each status of a remedy is shown: its badge's style and words.
STATUS_BADGES: dict[str, tuple[str, str]] = {
    OVERDUE: ("warn", _("Overdue remedy")),
    RemedyState.REMEDIED: ("ok", RemedyState.REMEDIED.label),
    RemedyState.OPEN: ("", RemedyState.OPEN.label),
}


class Inspection(models.Model):
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="inspections", verbose_name=_("inspecting unit")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INSPECTION)
    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(_("plan document"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("planned from"))
    ends_on = models.DateField(_("planned to"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-starts_on", "-id"]
        indexes = [models.Index(fields=["year"], name="inspection_year")]

    def __str__(self):
        return self.title


class Target(models.Model):
    """One inspected unit of a programme, with what the inspection found there."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="inspected_in", verbose_name=_("inspected unit")
    )
    conducted_on = models.DateField(_("conducted on"), null=True, blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)

    class Meta:
        ordering = ["unit__path", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "unit"], name="inspection_target_once")]

    def __str__(self):
        return f"{self.inspection} – {self.unit}"

    @property
    def recorded(self) -> bool:
        return self.conducted_on is not None


class Remedy(models.Model):
    """A recommendation or a remedy required of the inspected unit (its responsible unit), by a deadline."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="remedies")
    content = models.TextField(_("recommendation or remedy"))
    due_on = models.DateField(_("deadline of the remedy"))
    state = models.CharField(_("state"), max_length=10, choices=RemedyState.choices, default=RemedyState.OPEN)
    remedied_on = models.DateField(_("remedied on"), null=True, blank=True)
    result = models.TextField(_("result of the remedy"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on", "state"], name="inspection_remedy_due")]

    def __str__(self):
        return self.content[:80]

    def status(self, today: datetime.date | None = None) -> str:
        """The state, or "overdue" when the deadline has passed and it is not remedied."""
        today = today or timezone.localdate()
        if self.state == RemedyState.OPEN and self.due_on < today:
            return OVERDUE
        return self.state

    def status_badge(self, today: datetime.date | None = None) -> tuple[str, str]:
        return STATUS_BADGES[self.status(today)]
