"""Thematic cell meetings in the one search: found by their topic and notes, with ACTIVITY_VIEW at the
cell (registers.Searched). A meeting has no page of its own: the result opens the list at its cell and day."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.activities.registers import Found, Searched
from danvan.core.dates import day_text

from .models import Meeting


def _found(meeting: Meeting) -> Found:
    day = day_text(meeting.held_on)
    return Found(
        title=_("Thematic meeting: %(topic)s") % {"topic": meeting.topic},
        url=f"{reverse('cells:list')}?{urlencode({'unit': meeting.unit.code, 'from': day, 'to': day})}",
        unit=meeting.unit,
        context=(meeting.unit.name, day),
        text=(meeting.notes,),
    )


SEARCHED = Searched(
    kind="cell_meeting",
    label=gettext_lazy("Thematic cell meeting"),
    rows=lambda: Meeting.objects.select_related("unit"),
    found=_found,
    order=43,
)
