"""Navigation: only what is built, and only what the user may open (see `navigation`)."""

from django.urls import reverse

from . import navigation as menu


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    match = request.resolver_match
    return {
        "nav_items": [
            {"label": item.label, "url": reverse(item.url_name), "active": item.is_current(match)}
            for item in menu.items_for(user)
        ]
    }
