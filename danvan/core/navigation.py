"""The main menu, as a registry: each app adds its items in its AppConfig.ready(); core knows none.

An item names the page it opens (a URL name), who may see it (`visible(user)`, which asks the
policy) and the pages that light it up (`current(match)`: by default every page of the URL
namespace `key`). Items are shown in the order of `order`, whatever the order apps load in.
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

    def is_current(self, match: ResolverMatch | None) -> bool:
        if match is None:
            return False
        if self.current is not None:
            return self.current(match)
        return match.namespace == self.key


_items: dict[str, NavItem] = {}  # by URL name: registering again (ready() may run twice) replaces


def register(
    *,
    label: str,
    url_name: str,
    key: str,
    order: int,
    visible: Callable[[object], bool] = _everyone,
    current: Callable[[ResolverMatch], bool] | None = None,
) -> NavItem:
    """Add an item to the main menu (call from the app's AppConfig.ready())."""
    item = NavItem(label=label, url_name=url_name, key=key, order=order, visible=visible, current=current)
    _items[url_name] = item
    return item


def items() -> list[NavItem]:
    """Every registered item, in menu order."""
    return sorted(_items.values(), key=lambda item: (item.order, item.url_name))


def items_for(user) -> list[NavItem]:
    """The items `user` may see, in menu order."""
    return [item for item in items() if item.visible(user)]
