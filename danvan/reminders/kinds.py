"""Reminder kinds: what each one reminds of, and to whom, declared once by the module that owns it.

A module declares its kind and registers it in its AppConfig.ready(), with the place it takes among
the kinds (`send-reminders` and the task run them in that order); the reminders app never imports a
module, as the menu (core.navigation) knows none:

    REMINDER_KIND = Kind(
        name="report",                                  # `danvan send-reminders --kind report`
        label=gettext_lazy("Reports due soon or overdue"),
        subject_template="reports/email_reminder_subject.txt",
        body_template="reports/email_reminder_body.txt",
        sections=("own_soon", "own_overdue", "below"),  # the parts of the e-mail, in its order
        collect=digests,                                # today -> Digests
    )
    # apps.py, ready():  kinds.register(REMINDER_KIND, order=10)

`collect(today)` answers who is reminded of what that day, before anything is checked against what
was already sent; recipients come from `danvan.accounts.selectors.holders` (or, for a record that
names its person, from the record). An item is any object with a `key` — the same item has the same
key from one run to the next — and a `unit` (the unit it concerns, or None), the audit event's unit.
"""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import User
from danvan.audit.descriptions import name_action


class Item(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def unit(self) -> Any: ...


ACTION_MAX = 20  # AuditEvent.action
Sections = dict[str, list[Any]]  # section name → the items it lists


class Digests:
    """Who is reminded of what: recipient → section → items, in the order added, each item once."""

    def __init__(self) -> None:
        self._users: dict[int, User] = {}
        self._items: dict[int, dict[str, dict[str, Item]]] = {}

    def add(self, user: User, section: str, item: Item) -> None:
        self._users.setdefault(user.pk, user)
        self._items.setdefault(user.pk, {}).setdefault(section, {}).setdefault(item.key, item)

    def of(self, user: User) -> Sections:
        return {section: list(items.values()) for section, items in self._items.get(user.pk, {}).items()}

    def __iter__(self) -> Iterator[tuple[User, Sections]]:
        """Each recipient, by username, with their items by section."""
        for user in sorted(self._users.values(), key=lambda user: user.get_username()):
            yield user, self.of(user)

    def __len__(self) -> int:
        return len(self._users)


@dataclass(frozen=True)
class Kind:
    name: str  # short, stable: the command's --kind, the sent-record, the audit action
    label: Any  # what the kind is, in Vietnamese (gettext_lazy)
    subject_template: str
    body_template: str
    sections: tuple[str, ...]
    collect: Callable[[datetime.date], Digests]
    # More for the templates, from one recipient's items left to send (every section present).
    context: Callable[[Sections, datetime.date], dict[str, Any]] | None = None
    # Work the reminders depend on, done first each run (programmes extend their recurring tasks).
    prepare: Callable[[datetime.date], object] | None = None

    def __post_init__(self) -> None:
        if not self.name or len(self.action) > ACTION_MAX:  # audit actions are short
            raise ValueError(f"reminder kind name too long: {self.name!r}")

    @property
    def action(self) -> str:
        """The audit action of each e-mail: report.reminder, case.reminder …"""
        return f"{self.name}.reminder"


_registered: dict[str, tuple[int, Kind]] = {}  # name → (order, kind)


def register(kind: Kind, *, order: int) -> Kind:
    """Declare a module's kind (call from the module's AppConfig.ready()); the kinds run by `order`.

    Registering a name again replaces that kind (ready() may run twice).
    """
    _registered[kind.name] = (order, kind)
    name_action(kind.action, format_lazy(_("Sent a reminder e-mail: {kind}"), kind=kind.label))
    return kind


def unregister(name: str) -> None:
    """Forget the kind called `name`, if there is one."""
    _registered.pop(name, None)


@contextmanager
def only(*chosen: Kind) -> Iterator[None]:
    """While the block runs, these kinds alone are registered, in this order (tests); then the
    registry is put back as it was."""
    saved = dict(_registered)
    _registered.clear()
    for order, kind in enumerate(chosen):
        register(kind, order=order)
    try:
        yield
    finally:
        _registered.clear()
        _registered.update(saved)


def kinds() -> list[Kind]:
    """Every registered kind, by order."""
    return [
        kind for _order, kind in sorted(_registered.values(), key=lambda entry: (entry[0], entry[1].name))
    ]


def kind_get(name: str) -> Kind:
    """The kind called `name`; LookupError if there is none."""
    if name not in _registered:
        raise LookupError(name)
    return _registered[name][1]
