"""“Dân vận khéo” models in the one search (danvan.search): found by their name, the people behind them,
the description, the recognition decision and the campaign's title, with EMULATION_VIEW at the model's unit.

A recognised model is also shown to the units its campaign reaches (`selectors.exemplars_for`); the
search keeps to the model's own unit and those above it (a narrower reach, never a wider one).
"""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.search import registry
from danvan.search import services as search

from .models import Campaign, Exemplar

KIND = "model"


def doc(exemplar: Exemplar) -> search.Doc:
    with translation.override(settings.LANGUAGE_CODE):  # what is stored is read in the interface's words
        parts = [exemplar.unit.name, exemplar.get_field_display(), exemplar.get_stage_display()]
        if exemplar.level:
            parts.append(exemplar.get_level_display())
    return search.Doc(
        kind=KIND,
        object_id=exemplar.pk,
        perm=Perm.EMULATION_VIEW,
        unit_path=exemplar.unit.path,
        title=exemplar.title,
        url=reverse("exemplars:detail", args=[exemplar.pk]),
        context=" · ".join(str(part) for part in parts),
        text="\n".join(
            part
            for part in (
                exemplar.authors,
                exemplar.description,
                exemplar.decision_number,
                exemplar.campaign.title,
            )
            if part
        ),
    )


def documents() -> Iterable[search.Doc]:
    rows = Exemplar.objects.select_related("unit", "campaign").order_by("pk")
    for exemplar in rows.iterator(chunk_size=2000):
        yield doc(exemplar)


def changed(exemplar: Exemplar) -> None:
    search.put(doc=doc(exemplar))


def campaign_changed(campaign: Campaign) -> None:
    """The campaign's title is searched with its models."""
    search.put_many(
        docs=(doc(exemplar) for exemplar in campaign.exemplars.select_related("unit", "campaign"))
    )


def register() -> None:
    registry.register(KIND, _("“Dân vận khéo” model"), Perm.EMULATION_VIEW, documents, order=50)
