"""What a record of the emulation module earned: the commendations a "Dân vận khéo" model or an evaluation
brought, listed on its page ("Khen thưởng đã nhận").

`commendations` sits above `exemplars` and `evaluations` (a commendation names the record that earned it),
so those two may not import it. This registry at the package's shared bottom is the seam: commendations
registers a `Provider` from its AppConfig.ready(); the model's and the evaluation's pages call `shown`.
A provider reads only, narrows what it lists to what `user` may see under the policy (EMULATION_VIEW at
the commendation's unit or above), and offers the address to record a new one linked to the record only
to a user who may record it there. Without a provider the section is empty.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Earned:
    """One commendation, as the record's page lists it: every field already in words (a date dd/mm/yyyy)."""

    text: str  # the whole line in words: form, issuer, decision, date, recipient
    url: str  # the commendation's own page
    form: str = ""
    issuer: str = ""
    decision_number: str = ""
    decision_date: str = ""
    recipient: str = ""


@dataclass(frozen=True)
class Provider:
    """`listed(user, record)`: what `record` earned that `user` may see; `add_url(user, record)`: where to
    record one more linked to it, "" when the user may not."""

    key: str
    listed: Callable[[Any, Any], list[Earned]]
    add_url: Callable[[Any, Any], str] = lambda user, record: ""


@dataclass
class Shown:
    items: list[Earned] = field(default_factory=list)
    add_urls: list[str] = field(default_factory=list)


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """Add (or replace, by key) a provider."""
    _providers[provider.key] = provider


def shown(user, record) -> Shown:
    """What `record` (a model, an evaluation) earned, as `user` may see it, and where to add one. Reads only."""
    result = Shown()
    for provider in sorted(_providers.values(), key=lambda item: item.key):
        result.items.extend(provider.listed(user, record))
        url = provider.add_url(user, record)
        if url:
            result.add_urls.append(url)
    return result
