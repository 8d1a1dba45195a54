"""The activities overview: one card per register, its figures for a year over what the user may see.

Each register gives `overview(user, year)` (its figures, already narrowed to the units the user may
see); this module only asks every register in turn. Reads never write.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from .registers import Figure, Register, registers

FIRST_YEAR = 2020  # the first year the overview offers (the registers' imports reach back that far)


@dataclass
class Card:
    register: Register
    url: str
    figures: Sequence[Figure] = field(default_factory=list)


def years(today: datetime.date) -> list[int]:
    """The years one may choose, the current one first."""
    return list(range(today.year, FIRST_YEAR - 1, -1))


def cards(user, year: int) -> list[Card]:
    """Every registered register, in order, with its figures for `year` as `user` may see them."""
    result = []
    for item in registers():
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            url = ""
        figures = list(item.overview(user, year)) if item.overview is not None else []
        result.append(Card(register=item, url=url, figures=figures))
    return result
