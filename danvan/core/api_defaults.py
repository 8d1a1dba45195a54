"""API classes named in settings.REST_FRAMEWORK (re-exported by `danvan.core.api`).

DRF imports the default pagination and authentication classes while `rest_framework.views` and
`rest_framework.generics` are still loading, so this module must import neither (nor anything
that does, such as `danvan.core.api`).
"""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, metadata, pagination

_WHOLE_NUMBER = re.compile(r"[0-9]+")
_HUGE = 10**18  # fits a 64-bit column; no table here comes near it


class Pagination(pagination.LimitOffsetPagination):
    """`?limit=` (default 100, at most 1000: a larger one is cut to 1000) and `?offset=`.

    A limit that is not a whole number from 1 up, or an offset that is not a whole number from 0
    up, answers 400 with a Vietnamese message. An offset past the end gives an empty page.
    """

    default_limit = 100
    max_limit = 1000

    @staticmethod
    def _whole_number(request, name: str, *, minimum: int, message) -> int | None:
        value = request.query_params.get(name)
        if value is None or value == "":
            return None
        value = value.strip()
        if not _WHOLE_NUMBER.fullmatch(value):
            raise exceptions.ValidationError({name: [message]})
        number = int(value) if len(value) <= 18 else _HUGE  # int() of a huge string is slow
        if number < minimum:
            raise exceptions.ValidationError({name: [message]})
        return number

    def get_limit(self, request):
        limit = self._whole_number(
            request,
            self.limit_query_param,
            minimum=1,
            message=_("The limit must be a whole number from 1 up."),
        )
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request):
        offset = self._whole_number(
            request,
            self.offset_query_param,
            minimum=0,
            message=_("The offset must be a whole number from 0 up."),
        )
        return 0 if offset is None else offset


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication, refusing a failed CSRF check in the user's language."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                _(
                    "CSRF check failed: with a signed-in session, send the CSRF token "
                    "(X-CSRFToken header); or authenticate with a token."
                )
            ) from None


class Metadata(metadata.SimpleMetadata):
    """DRF's answer to OPTIONS. To describe a PUT, DRF looks up the record the URL names; a view whose PUT
    names none (it replaces a set, such as a report's values) failed there with a 500. Its PUT is now
    described as its POST is, without a lookup."""

    def determine_actions(self, request, view):
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
        if lookup is not None and lookup not in getattr(view, "kwargs", {}):
            view.get_object = lambda: None
        return super().determine_actions(request, view)
