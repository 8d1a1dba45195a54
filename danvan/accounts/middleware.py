"""Holding an administrator at the second step of signing in (see `second_factor`).

Runs after django-otp's OTPMiddleware. While `second_factor.step_needed` names a page for the signed-in
user, every other address leads there (a page with `?next=` back to where they were going; the API,
signed in by the session, answers 403 in Vietnamese). Signing out, the language switch, the health check
and API requests carrying a token (DRF authenticates those by the token, never by the session) pass.
"""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import second_factor

_OPEN_PREFIXES = ("/i18n/", "/healthz", "/static/")


def _api_by_token(request) -> bool:
    """An API request carrying a token: DRF authenticates it by the token alone (a wrong one answers 401,
    never falling back to the session). Pages ignore the header, so there it opens nothing."""
    return request.path.startswith("/api/") and request.META.get("HTTP_AUTHORIZATION", "").lower().startswith(
        "token "
    )


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or _api_by_token(request) or request.path.startswith(_OPEN_PREFIXES):
            return self.get_response(request)
        step = second_factor.step_needed(user, request.session)
        if step is None:
            return self.get_response(request)
        target = reverse(step)
        if request.path in (target, reverse("accounts:logout")):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Finish signing in with your two-step code first, or use an API token.")},
                status=403,
            )
        if request.method == "GET" and step == second_factor.VERIFY:
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return redirect(target)
