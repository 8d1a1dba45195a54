"""Staff conferences (the workplace register's list) in the one search, with ACTIVITY_VIEW at the
conference's unit (registers.Searched)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.activities.registers import Found, Searched
from danvan.core.dates import day_text

from .models import Conference


def _found(conference: Conference) -> Found:
    return Found(
        title=_("Staff conference of %(year)s") % {"year": conference.year},
        url=reverse("workplace:conference", args=[conference.pk]),
        unit=conference.unit,
        context=(conference.unit.name, day_text(conference.held_on)),
        text=(conference.notes, conference.resolution_name),
    )


SEARCHED = Searched(
    kind="workplace",
    label=gettext_lazy("Staff conference"),
    rows=lambda: Conference.objects.select_related("unit"),
    found=_found,
    order=41,
)
