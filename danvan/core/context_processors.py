"""Navigation: only what is built, and only what the user may open (see `navigation`), grouped, with
the number of items of work each item stands for (`worklist.counts`, one cache read per page)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from . import navigation as menu
from . import worklist


def _link(item: menu.NavItem, match, counts: dict[str, int]) -> dict:
    return {
        "label": item.label,
        "url": reverse(item.url_name),
        "active": item.is_current(match),
        "count": counts.get(item.url_name, 0),
    }


def _entries(request) -> list[dict]:
    """The menu bar: each entry a group (with `links`) or a single link, with counts and the current page."""
    counts = worklist.counts(request.user, timezone.localdate())
    match = request.resolver_match
    found = []
    for entry in menu.entries_for(request.user):
        links = [_link(item, match, counts) for item in entry.items]
        found.append(
            {
                "key": entry.group.key if entry.group else links[0]["url"],
                "label": entry.group.label if entry.group else links[0]["label"],
                "group": entry.group is not None,
                "links": links,
                "url": links[0]["url"],
                "active": any(link["active"] for link in links),
                "count": sum(link["count"] for link in links),
            }
        )
    return found


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_entries": []}
    match = request.resolver_match
    return {
        "nav_items": [
            {"label": item.label, "url": reverse(item.url_name), "active": item.is_current(match)}
            for item in menu.items_for(user)
        ],
        # Counted only when a template shows the menu, once per request.
        "nav_entries": SimpleLazyObject(lambda: _entries(request)),
    }
