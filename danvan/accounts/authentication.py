"""The API's token authentication (settings.REST_FRAMEWORK): `Authorization: Token <secret>`.

Tokens are `ApiToken` rows (django-rest-knox's hashed tokens): the secret's first characters find the
candidates, its SHA-512 hash must match one of them. A revoked or expired token, or one of a deactivated
user, answers 401 with a Vietnamese message saying which. Using a token notes when it was last used, at
most once a minute (the only write an API read makes: like a sign-in's time, it is the account's, not data).

DRF imports this class while `rest_framework.views` is still loading (see core.api_defaults): it imports
neither that nor anything that does.
"""

import binascii
import datetime
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header

LAST_USED_EVERY = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"  # the header's first word, as DRF's token authentication (and the OpenAPI schema) say

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.authenticate_header(request).encode().lower():
            return None  # no token: the next class (the session) may authenticate the request
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header: give the word Token, one space, then the token.")
            )
        try:
            secret = auth[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        return self.authenticate_credentials(secret)

    def authenticate_credentials(self, token):
        from .models import ApiToken  # the app registry is ready by the first request

        secret = token.decode("ascii", "replace") if isinstance(token, bytes) else token
        try:
            digest = hash_token(secret)
        except (TypeError, ValueError, binascii.Error):
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        found = None
        for candidate in ApiToken.objects.filter(
            token_key=secret[: CONSTANTS.TOKEN_KEY_LENGTH]
        ).select_related("user"):
            if compare_digest(digest, candidate.digest):
                found = candidate
                break
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        if found.is_revoked():
            raise exceptions.AuthenticationFailed(_("This API token has been revoked."))
        if found.is_expired(now):
            raise exceptions.AuthenticationFailed(
                _("This API token expired on %(date)s; create a new one on the API tokens page.")
                % {"date": timezone.localtime(found.expiry).strftime("%d/%m/%Y")}
            )
        if not found.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account of this API token is deactivated."))
        if found.last_used is None or now - found.last_used >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)  # no signal: not an audited change
            found.last_used = now
        return (found.user, found)
