"""API classes named in settings.REST_FRAMEWORK (re-exported by `danvan.core.api`): the pagination,
the session authentication and the JSON parser.

DRF imports the default pagination and authentication classes while `rest_framework.views` and
`rest_framework.generics` are still loading, so this module must import neither (nor anything
that does, such as `danvan.core.api`).
"""

import ipaddress
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, metadata, pagination, parsers, throttling

from . import jsonbody
from .clients import ratelimit_ip

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


class _RateFromSettings:
    """The scope's rate read from settings.API_THROTTLE_RATES when the request comes, not once at import as
    DRF does: a load test or a test sets its own. A scope without a rate is not throttled."""

    scope: str | None

    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        """The client's address as every limit reads it (TRUSTED_PROXY_COUNT), never DRF's own reading of
        X-Forwarded-For, which a client can write. An IPv6 client counts by its /64 network, as
        django-ratelimit counts it (RATELIMIT_IPV6_MASK): one subscriber holds a whole /64."""
        address = ratelimit_ip(request)
        if ":" in address:
            mask = getattr(settings, "RATELIMIT_IPV6_MASK", 64)
            return str(ipaddress.ip_network(f"{address}/{mask}", strict=False).network_address)
        return address


class AnonThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    """Requests without authentication, per client address (scope `anon`)."""


class UserThrottle(_RateFromSettings, throttling.UserRateThrottle):
    """Authenticated requests, per user, whatever the authentication (scope `user`)."""


class TokenThrottle(_RateFromSettings, throttling.SimpleRateThrottle):
    """Requests authenticated by an API token, per user (scope `token`, stricter than `user`): a script
    holding a token, or a stolen one, gets less than a person at the pages. Keyed on `request.auth`, which
    every token authentication sets and session authentication leaves None, so it holds whatever the
    token model is."""

    scope = "token"

    def get_cache_key(self, request, view):
        if request.auth is None or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class ScopedThrottle(_RateFromSettings, throttling.ScopedRateThrottle):
    """A view's or an action's own scope (`throttle_scope = "parse"`), per user or client address, on top of
    the others. Views without a scope are not concerned."""


class BodyRefused(exceptions.ParseError):
    """A JSON body refused by `core.jsonbody` (too large, too deep, not JSON): HTTP 400 with its message,
    which `core.api.exception_handler` keeps."""


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser reading through `core.jsonbody.loads`: a body larger than
    DATA_UPLOAD_MAX_MEMORY_SIZE (DRF reads the stream itself, so Django's own check never runs) or nested
    deeper than JSON_MAX_DEPTH answers 400 in Vietnamese, before any parsing."""

    def parse(self, stream, media_type=None, parser_context=None):
        size = jsonbody.max_size()
        raw = stream.read() if size is None else stream.read(size + 1)
        try:
            return jsonbody.loads(raw)
        except jsonbody.NotJSON:
            raise exceptions.ParseError() from None  # the API's own message (core.api.exception_handler)
        except jsonbody.BodyRefused as refused:
            raise BodyRefused(refused.message) from None


class Metadata(metadata.SimpleMetadata):
    """DRF's answer to OPTIONS. To describe a PUT, DRF looks up the record the URL names; a view whose PUT
    names none (it replaces a set, such as a report's values) failed there with a 500. Its PUT is now
    described as its POST is, without a lookup."""

    def determine_actions(self, request, view):
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
        if lookup is not None and lookup not in getattr(view, "kwargs", {}):
            view.get_object = lambda: None
        return super().determine_actions(request, view)
