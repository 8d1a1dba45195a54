"""The main menu, as a registry: each app adds its items in its AppConfig.ready(); core knows none.

An item names the page it opens (a URL name), who may see it (`visible(user)`, which asks the
policy) and the pages that light it up (`current(match)`: by default every page of the URL
namespace `key`). Items are shown in the order of `order`, whatever the order apps load in.

Items are gathered in groups (`register_group(key=…, label=…, order=…)`, then `register(…, group=key)`)
so that the menu fits one row: a group opens as a disclosure menu; an item without a group, or alone
in its group for this user, is a plain link. Groups are shown by their `order`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import ResolverMatch


def _everyone(user) -> bool:
    return True


@dataclass(frozen=True)
class NavItem:
    label: str  # usually a lazy translation
    url_name: str
    key: str  # the URL namespace whose pages this item stands for
    order: int
    visible: Callable[[object], bool] = _everyone
    current: Callable[[ResolverMatch], bool] | None = None  # None: any page of the namespace `key`
    group: str = ""  # the key of its group; "" for an item of its own

    def is_current(self, match: ResolverMatch | None) -> bool:
        if match is None:
            return False
        if self.current is not None:
            return self.current(match)
        return match.namespace == self.key


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str  # usually a lazy translation
    order: int


_items: dict[str, NavItem] = {}  # by URL name: registering again (ready() may run twice) replaces
_groups: dict[str, NavGroup] = {}  # by key, likewise


def register_group(*, key: str, label: str, order: int) -> NavGroup:
    """Declare a group of the main menu (call from an AppConfig.ready(); the same key again replaces)."""
    group = NavGroup(key=key, label=label, order=order)
    _groups[key] = group
    return group


def register(
    *,
    label: str,
    url_name: str,
    key: str,
    order: int,
    visible: Callable[[object], bool] = _everyone,
    current: Callable[[ResolverMatch], bool] | None = None,
    group: str = "",
) -> NavItem:
    """Add an item to the main menu (call from the app's AppConfig.ready()), in `group` if given."""
    item = NavItem(
        label=label, url_name=url_name, key=key, order=order, visible=visible, current=current, group=group
    )
    _items[url_name] = item
    return item


def items() -> list[NavItem]:
    """Every registered item, in menu order."""
    return sorted(_items.values(), key=lambda item: (item.order, item.url_name))


def items_for(user) -> list[NavItem]:
    """The items `user` may see, in menu order."""
    return [item for item in items() if item.visible(user)]


@dataclass(frozen=True)
class Entry:
    """One place of the menu bar: a group with its items, or an item of its own (`group` None)."""

    group: NavGroup | None
    items: list[NavItem]
    order: int


def entries_for(user) -> list[Entry]:
    """The menu bar for `user`: groups (by their order, items inside by theirs) and single items.

    A group this user sees one item of is that item alone; an item naming an unknown group stands alone.
    """
    grouped: dict[str, list[NavItem]] = {}
    found: list[Entry] = []
    for item in items_for(user):
        if item.group in _groups:
            grouped.setdefault(item.group, []).append(item)
        else:
            found.append(Entry(None, [item], item.order))
    for key, members in grouped.items():
        group = _groups[key]
        found.append(Entry(group if len(members) > 1 else None, members, group.order))
    return sorted(found, key=lambda entry: entry.order)
