"""The registry of the dashboard's extra panels: what a module above `reports` adds to the dashboard of a
unit and period, after its own tables (the emulation ranking of the units below, issue 15 item 4).

`reports` never imports the modules above it: each registers, from its AppConfig.ready(), a
`collect(user, unit, period) -> Panel | None` that reads only (GET never writes), narrows itself to what
`user` may see under the policy and answers None when it has nothing to show to this user (no right, no
data worth a line). `period` is the dashboard's `reports.Period` (saved, or an unsaved one with its code
and dates when the period is not prepared yet). A panel costs a bounded number of queries, the same for
any number of units: the dashboard's query count is measured (core/tests/test_query_counts.py).

The page draws each panel as a section headed by its title, in `order`: `template` rendered with the
panel's `context` (plus `unit` and `period`), see `rendered`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    key: str = ""  # set by `collected` from the registration: the section's data-panel attribute


@dataclass(frozen=True)
class Registration:
    key: str
    order: int
    collect: Callable[..., Panel | None]


_registry: dict[str, Registration] = {}


def register(key: str, order: int, collect: Callable[..., Panel | None]) -> None:
    """Add (or replace, by key) a panel of the dashboard."""
    _registry[key] = Registration(key=key, order=order, collect=collect)


def registered() -> list[Registration]:
    return sorted(_registry.values(), key=lambda item: (item.order, item.key))


def collected(user, unit, period) -> list[Panel]:
    """The panels the dashboard of `unit` and `period` shows to `user`, in order. Reads only."""
    shown = []
    for item in registered():
        panel = item.collect(user, unit, period)
        if panel is not None:
            shown.append(
                Panel(title=panel.title, template=panel.template, context=panel.context, key=item.key)
            )
    return shown


@dataclass(frozen=True)
class Shown:
    key: str
    title: str
    html: SafeString


def rendered(request, unit, period) -> list[Shown]:
    """The panels of `collected`, each rendered for the page (its template with its context)."""
    return [
        Shown(
            key=panel.key,
            title=panel.title,
            html=render_to_string(
                panel.template, {**panel.context, "unit": unit, "period": period}, request=request
            ),
        )
        for panel in collected(request.user, unit, period)
    ]
