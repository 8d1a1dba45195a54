"""A report's texts and how it is built from them: what the official writes (`Narrative`), the review built
from the current data with those texts (`build`), the period a review covers (`period_checked`)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from danvan.core.text import search_key
from danvan.orgs.models import Unit
from danvan.reports.periods import period_words

from . import content
from . import wording as w
from .models import ReviewVersion


@dataclass
class Narrative:
    """What the official writes: the two parts of the report and the header and signature details."""

    limitations: str = ""
    tasks: str = ""
    place: str = ""
    symbol: str = ""
    superior: str = ""
    on_behalf: str = ""
    signer_title: str = ""
    signer: str = ""
    layout: str = content.PARTY  # the prescribed form (`models.Layout`)


def narrative_of(version: ReviewVersion | None) -> Narrative:
    if version is None:
        return Narrative()
    return Narrative(**{name: getattr(version, name) for name in Narrative.__dataclass_fields__})


def build(
    *, unit: Unit, period_code: str, narrative: Narrative, day: datetime.date, number: int | None = None
):
    """The review from the current data with the official's texts (`content.build`); the header details
    left empty take the document's defaults."""
    return content.build(
        unit=unit,
        period_code=period_code,
        day=day,
        place=narrative.place or w.PLACE_PLACEHOLDER,
        symbol=narrative.symbol,
        superior=narrative.superior,
        on_behalf=narrative.on_behalf,
        signer_title=narrative.signer_title,
        signer=narrative.signer or w.NAME_PLACEHOLDER,
        limitations=narrative.limitations,
        tasks=narrative.tasks,
        number=number,
        layout=narrative.layout or content.PARTY,
    )


def period_checked(period_code: str) -> str:
    """The period's code ("2026S1") when a review covers it, else ValidationError on "period"."""
    try:
        return content.period_code_of(period_code)
    except content.ReviewError as error:
        raise ValidationError({"period": str(error)}) from None


def file_name(unit_name: str, period_code: str, suffix: str, number: int | None = None) -> str:
    """A report's file name in words, no code: "bao-cao-dang-uy-so-tu-phap-6-thang-dau-nam-2026.docx"
    (with its register number, "bao-cao-so-12-…", once it has one)."""
    words = [search_key(unit_name), search_key(period_words(period_code))]
    if number is not None:
        words.insert(0, f"so {number}")
    return f"{slugify('bao cao ' + ' '.join(words))[:150]}.{suffix}"
