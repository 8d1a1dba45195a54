"""The registry of the emulation overview's cards: each part (models, commendations, evaluations, quizzes)
registers one from its AppConfig.ready() with its figures for a year, already narrowed to what the user
may see. The package never imports a part; a part never imports another's card.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

FIRST_YEAR = 2015  # the first year the overview offers ("Dân vận khéo" models were honoured from 2015)


@dataclass(frozen=True)
class Figure:
    """One figure of a card, in words: its label, its value as shown (1.673, 73,5 %) and where it comes from."""

    label: str
    value: str
    url: str = ""


@dataclass(frozen=True)
class Card:
    """A part's card: `figures(user, year)` gives its figures for the year over what the user may see."""

    key: str
    label: str
    url_name: str
    order: int
    figures: Callable[..., Sequence[Figure]] | None = None


@dataclass
class Shown:
    card: Card
    url: str
    figures: Sequence[Figure] = field(default_factory=list)


_cards: dict[str, Card] = {}


def register(card: Card) -> None:
    """Add (or replace, by key) a part's card."""
    _cards[card.key] = card


def cards() -> list[Card]:
    return sorted(_cards.values(), key=lambda card: (card.order, card.key))


def years(today: datetime.date) -> list[int]:
    """The years one may choose, the current one first."""
    return list(range(today.year, FIRST_YEAR - 1, -1))


def shown(user, year: int) -> list[Shown]:
    """Every registered card, in order, with its figures for `year` as `user` may see them. Reads only."""
    result = []
    for card in cards():
        try:
            url = reverse(card.url_name)
        except NoReverseMatch:
            url = ""
        figures = list(card.figures(user, year)) if card.figures is not None else []
        result.append(Shown(card=card, url=url, figures=figures))
    return result
