"""Review reports kept in the system: a draft per unit and period, its numbered versions, the final one.

A `ReviewDraft` is the report of one unit for one period (`period_code`, as `reports.periods` names it)
while the official writes it; each save of the parts the official writes (limitations, tasks ahead) and
of the header details is a new `ReviewVersion` (numbered 1, 2 … within the draft, never changed). The
figures are read again from the data each time the draft is shown, until the draft is finalised: then
its last version keeps the document as it stood (`frozen_docx`, `frozen_xlsx`, `frozen_html`) and the
draft the outgoing document it became in the register (`document`). A finished report is not edited;
a correction is a new draft of the same unit and period (at most one draft open at a time).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Finalised")


class Layout(models.TextChoices):
    """The prescribed form the report is laid out in: a party document or a state body's one."""

    PARTY = "party", _("Party document (HD 36-HD/VPTW)")
    STATE = "state", _("Administrative document (NĐ 30/2020)")


class ReviewDraft(models.Model):
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="review_drafts", verbose_name=_("unit")
    )
    period_code = models.CharField(_("period"), max_length=10)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    document = models.ForeignKey(
        "directives.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered document"),
    )
    number_symbol = models.CharField(_("number and symbol"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("review report")
        ordering = ["unit_id", "period_code", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_code"],
                condition=models.Q(state="draft"),
                name="review_one_open_draft",
            )
        ]

    def __str__(self) -> str:
        from danvan.reports.periods import period_words  # the period in words, never its code

        return f"{self.unit.name} · {period_words(self.period_code)}"


class ReviewVersion(models.Model):
    draft = models.ForeignKey(ReviewDraft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    limitations = models.TextField(_("limitations and causes"), blank=True)
    tasks = models.TextField(_("tasks ahead"), blank=True)
    layout = models.CharField(_("document form"), max_length=10, choices=Layout.choices, default=Layout.PARTY)
    place = models.CharField(_("place"), max_length=200, blank=True)
    symbol = models.CharField(_("symbol"), max_length=20, blank=True)
    superior = models.CharField(_("superior body"), max_length=200, blank=True)
    on_behalf = models.CharField(_("signing on behalf of"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    signer = models.CharField(_("signer"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The finished report as it stood (only on the last version of a finalised draft).
    frozen_on = models.DateField(_("date of the report"), null=True, blank=True)
    frozen_docx = models.BinaryField(null=True, blank=True, editable=False)
    frozen_xlsx = models.BinaryField(null=True, blank=True, editable=False)
    frozen_html = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("review report version")
        ordering = ["draft_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="review_version_once")]

    def __str__(self) -> str:
        return f"{self.draft} · {self.number}"  # the draft in words, then the version's number

    @property
    def saved_by(self) -> str:
        """Who saved it, as the pages name them (the system for a version no person saved)."""
        user = self.created_by
        return (user.get_full_name() or user.get_username()) if user is not None else str(_("the system"))

    @property
    def frozen(self) -> bool:
        return self.frozen_docx is not None
