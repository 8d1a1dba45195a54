"""Training classes on mobilisation work held by a unit, with their participants when known."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.orgs.models import Unit


class TrainingClass(models.Model):
    """A class (lớp tập huấn, bồi dưỡng) organised by a unit: counted in the report figures of the
    period containing its first day, at its unit."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="training_classes"
    )
    title = models.CharField(_("title"), max_length=300)
    topic = models.CharField(_("topic"), max_length=500, blank=True)
    organiser = models.CharField(_("organiser"), max_length=255, blank=True)
    held_on = models.DateField(_("first day"))
    ended_on = models.DateField(_("last day"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    participants = models.PositiveIntegerField(_("participants"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit", "held_on"], name="training_unit_day")]
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class Participant(models.Model):
    """One person of a class's list of participants (the list is optional; the count is not)."""

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("training class"), on_delete=models.CASCADE, related_name="attendees"
    )
    order = models.PositiveIntegerField(_("order"))
    name = models.CharField(_("full name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    unit_name = models.CharField(_("unit (in words)"), max_length=255, blank=True)

    class Meta:
        ordering = ["training_class", "order", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name
