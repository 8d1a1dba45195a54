"""Dialogues in the one search: found by the leader, the place, the note and the issues raised, with
ACTIVITY_VIEW at the dialogue's unit (registers.Searched)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.activities.registers import Found, Searched, lines
from danvan.core.dates import day_text

from .models import Dialogue


def _found(dialogue: Dialogue) -> Found:
    return Found(
        title=_("Dialogue of %(date)s – %(leader)s")
        % {"date": day_text(dialogue.held_on), "leader": dialogue.leader_name},
        url=reverse("dialogues:detail", args=[dialogue.pk]),
        unit=dialogue.unit,
        context=(dialogue.unit.name, dialogue.get_audience_display(), dialogue.get_format_display()),
        text=(
            dialogue.leader_position,
            dialogue.place,
            dialogue.note,
            *lines(dialogue.issues.all(), "content", "answerer", "answer"),
        ),
    )


SEARCHED = Searched(
    kind="dialogue",
    label=gettext_lazy("Dialogue"),
    rows=lambda: Dialogue.objects.select_related("unit").prefetch_related("issues"),
    found=_found,
    order=40,
)
