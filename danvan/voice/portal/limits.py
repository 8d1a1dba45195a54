"""Abuse protection of the public side, all local (the project's cache; settings with defaults).

- per IP (the client's address of danvan/core/clients.py, django-ratelimit's RATELIMIT_IP_META_KEY:
  REMOTE_ADDR, or behind a trusted proxy X-Forwarded-For; one shared key when unknown, a Unix socket):
  every POST to the form counts against VOICE_PORTAL_ATTEMPT_RATE ("30/10m"), before the body is
  read; successful submissions against VOICE_PORTAL_SUBMIT_RATES ("5/10m", "30/d") — the portal's
  and Open311's together; tracking lookups against VOICE_PORTAL_LOOKUP_RATE ("20/10m");
- a signed form token (`form_token`): a nonce, so a submission is recorded once, and when the form
  was served, so a form sent back too fast is a bot's;
- per contact: one e-mail address or phone number sends at most VOICE_PORTAL_DAILY_PER_CONTACT (3)
  submissions a day, counted in the cache under a keyed hash (never the address itself).
"""

import datetime
import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from django_ratelimit.core import get_usage

from danvan.voice.identity import crypto

TOKEN_SALT = "danvan.voice.portal.form"
TOKEN_MAX_AGE = 24 * 60 * 60  # a long complaint may take an evening to write

SUBMIT_GROUP = "voice.portal.submit"
ATTEMPT_GROUP = "voice.portal.attempt"
LOOKUP_GROUP = "voice.portal.lookup"


def rates(name: str, default) -> list[str]:
    value = getattr(settings, name, default)
    return [value] if isinstance(value, str) else list(value)


def submit_rates() -> list[str]:
    return rates("VOICE_PORTAL_SUBMIT_RATES", ("5/10m", "30/d"))


def limit_wait(request, group: str, rates: list[str], *, increment: bool) -> int | None:
    """Seconds to wait when this IP has used up one of `rates` (counting this request if `increment`)."""
    wait = None
    for rate in rates:
        usage = get_usage(request, group=group, key="ip", rate=rate, increment=increment)
        if usage is None:  # RATELIMIT_ENABLE = False
            continue
        over = usage["should_limit"] if increment else usage["count"] >= usage["limit"]
        if over:
            wait = max(wait or 0, usage["time_left"], 1)
    return wait


def count(request, group: str, rates: list[str]) -> None:
    for rate in rates:
        get_usage(request, group=group, key="ip", rate=rate, increment=True)


@sensitive_variables()
def _contact_keys(person: dict) -> list[str]:
    """Cache keys counting today's submissions per e-mail address and per phone number (keyed hashes)."""
    secret = hmac.new(crypto.configured_keys()[0], b"danvan-portal-contact-quota", hashlib.sha256).digest()
    parts = []
    if person.get("email"):
        parts.append("email:" + person["email"].strip().lower())
    digits = "".join(ch for ch in person.get("phone", "") if ch.isdigit())
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if digits:
        parts.append("phone:" + digits)
    day = timezone.localdate().isoformat()
    return [
        f"voice-portal-contact:{day}:{hmac.new(secret, part.encode(), hashlib.sha256).hexdigest()}"
        for part in parts
    ]


def contact_quota() -> int:
    return int(getattr(settings, "VOICE_PORTAL_DAILY_PER_CONTACT", 3))


@sensitive_variables()
def contact_over(person: dict) -> bool:
    return any((cache.get(key) or 0) >= contact_quota() for key in _contact_keys(person))


def seconds_to_midnight() -> int:
    now = timezone.localtime()
    midnight = (now + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, int((midnight - now).total_seconds()))


@sensitive_variables()
def contact_count(person: dict) -> None:
    for key in _contact_keys(person):
        cache.add(key, 0, 2 * 24 * 60 * 60)
        try:
            cache.incr(key)
        except ValueError:  # evicted in between
            cache.set(key, 1, 2 * 24 * 60 * 60)


def form_token(issued_at: float | None = None) -> str:
    """A signed token for one form: a nonce (a submission is recorded once) and when the form was served."""
    issued = int(time.time() if issued_at is None else issued_at)
    return signing.dumps({"n": secrets.token_urlsafe(16), "t": issued}, salt=TOKEN_SALT, compress=True)


def read_token(value: str) -> tuple[str, int] | None:
    try:
        data = signing.loads(value or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        return str(data["n"]), int(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def nonce_key(nonce: str) -> str:
    return "voice-portal-nonce:" + hashlib.sha256(nonce.encode()).hexdigest()
