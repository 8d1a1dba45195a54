"""A thematic cell meeting on mobilisation (sinh hoạt chuyên đề về công tác dân vận).

Held by a party cell (a unit of type "cell" on the day it was held), on a day, on a topic, with the
number of members who attended (and, when known, how many were expected). Seed 004: every cell holds
at least one a year; the coverage and the report figures ("cells.*") count the cells that did.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Meeting(models.Model):
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="cell_meetings", verbose_name=_("party cell")
    )
    held_on = models.DateField(_("date held"))
    topic = models.CharField(_("topic"), max_length=300)
    attendees = models.PositiveIntegerField(_("attendees"))
    expected = models.PositiveIntegerField(_("members expected"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("thematic cell meeting")
        indexes = [models.Index(fields=["unit", "held_on"], name="cells_meeting_unit_day")]
        constraints = [
            models.CheckConstraint(condition=Q(attendees__gte=0), name="cells_meeting_attendees_positive"),
        ]

    def __str__(self):
        return f"{self.unit.name} – {self.held_on:%d/%m/%Y} – {self.topic}"
