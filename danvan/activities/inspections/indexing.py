"""Inspection and supervision programmes in the one search: found by their title and plan document, with
ACTIVITY_VIEW at the inspecting unit or at an inspected one, as the programme's page (registers.Searched)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from danvan.activities.registers import Found, Searched

from .models import Inspection


def _found(inspection: Inspection) -> Found:
    return Found(
        title=inspection.title,
        url=reverse("inspections:detail", args=[inspection.pk]),
        unit=inspection.unit,
        context=(
            inspection.unit.name,
            inspection.get_kind_display(),
            inspection.year,
            inspection.get_state_display(),
        ),
        text=(inspection.reference,),
        reach=[target.unit.path for target in inspection.targets.all()],
    )


SEARCHED = Searched(
    kind="inspection",
    label=gettext_lazy("Inspection or supervision programme"),
    rows=lambda: Inspection.objects.select_related("unit").prefetch_related("targets__unit"),
    found=_found,
    order=46,
)
