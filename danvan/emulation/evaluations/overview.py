"""The evaluations' card on the emulation overview: the year's final classifications per level, those
awaiting review, and the top of the ranking of the units the user sees."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core.templatetags.vn import number
from danvan.emulation import cards

from . import selectors
from .models import Classification


def figures(user, year: int) -> list[cards.Figure]:
    counts = selectors.counts(user, year)
    progress = selectors.in_progress(user, year)
    url = reverse("evaluations:home")
    shown = [
        cards.Figure(
            label=str(Classification(level).label),
            value=number(counts[level]),
            url=f"{url}?{urlencode({'period': str(year), 'state': 'final'})}",
        )
        for level in Classification.values
    ]
    shown.append(
        cards.Figure(
            label=_("Awaiting review"),
            value=number(progress["submitted"]),
            url=f"{url}?{urlencode({'state': 'submitted'})}",
        )
    )
    return shown


def register() -> None:
    cards.register(
        cards.Card(
            key="evaluations",
            label=gettext_lazy("Evaluation and classification"),
            url_name="evaluations:home",
            order=30,
            figures=figures,
        )
    )
