"""Training classes in the one search: found by their title, topic, organiser, place and notes, with
ACTIVITY_VIEW at the class's unit (registers.Searched)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from danvan.activities.registers import Found, Searched
from danvan.core.dates import day_text

from .models import TrainingClass


def _found(training_class: TrainingClass) -> Found:
    return Found(
        title=training_class.title,
        url=reverse("training:detail", args=[training_class.pk]),
        unit=training_class.unit,
        context=(training_class.unit.name, day_text(training_class.held_on)),
        text=(training_class.topic, training_class.organiser, training_class.place, training_class.notes),
    )


SEARCHED = Searched(
    kind="training",
    label=gettext_lazy("Training class"),
    rows=lambda: TrainingClass.objects.select_related("unit"),
    found=_found,
    order=44,
)
