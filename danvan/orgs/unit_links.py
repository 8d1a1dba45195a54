"""Links a unit's page offers to the pages of modules above `orgs` (the review report …): each module
registers its link in its AppConfig.ready(), so the organisation registry never imports them."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class UnitLink:
    key: str
    label: "str | Promise"
    url_name: str  # takes the unit's code
    visible: Callable[[object, object], bool]  # (user, unit): may the user follow it for this unit?


_links: dict[str, UnitLink] = {}


def register(link: UnitLink) -> None:
    _links[link.key] = link


def links_for(user, unit) -> list[tuple[str, str]]:
    """(label, address) of each link `user` may follow from `unit`'s page."""
    return [
        (str(link.label), reverse(link.url_name, args=[unit.code]))
        for link in sorted(_links.values(), key=lambda link: link.key)
        if link.visible(user, unit)
    ]
