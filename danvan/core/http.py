"""Addresses that only take a form's POST, and what a GET of one gets instead of a blank 405.

A form posts to an address of its own (`/programmes/new/`, `…/act/accept/`); a person who opens
that address (a bookmark, a reload after the session expired, a link pasted in a message) is sent
to the page that holds the form, with a message, or — when no such page can be named — shown a
short explanation with a link back. `post_only` marks the view (`is_post_only`) so that tests can
find every such address through the URL resolver.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

MARKER = "post_only"


def post_only(to: str | None = None, *, keep: Iterable[str] | None = None) -> Callable:
    """Decorate a view that only handles POST. A GET (or HEAD) is redirected to the page named `to`
    (a URL name, reversed with the view's keyword arguments, or only those in `keep`) with a message,
    or, without `to`, answered with an explanation page; other methods get 405."""
    kept = None if keep is None else tuple(keep)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["POST"])
            if to is None:
                return explain(request)
            messages.info(
                request,
                _("That address only sends a form and has nothing to show; here is the page it belongs to."),
            )
            return redirect(to, **(kwargs if kept is None else {name: kwargs[name] for name in kept}))

        setattr(wrapper, MARKER, True)
        return wrapper

    return decorate


def is_post_only(view: Callable) -> bool:
    """Was `view` (or the view it wraps) declared with `post_only`?"""
    return bool(getattr(view, MARKER, False))


def explain(request: HttpRequest) -> HttpResponse:
    """The page a GET of a POST-only address gets when no page with its form can be named."""
    back = request.headers.get("referer", "")
    if (
        not back
        or back == request.build_absolute_uri()
        or not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        back = "/"
    return render(request, "core/post_only.html", {"back": back})
