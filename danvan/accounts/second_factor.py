"""The administrators' second factor (django-otp): reads and small computations; writes are in services.

An administrator (`policy.is_administrator`) who has a confirmed TOTP device signs in in two steps:
the password, then the 6-digit code of the authenticator app (or one of the backup codes). Until the
code is given, the session can reach only the second step and signing out (`SecondFactorMiddleware`).
With settings.OTP_REQUIRED_FOR_ADMINS, an administrator without a device is led to enrol and can do
nothing else until enrolled. A session is verified when django-otp's middleware finds the device that
verified it (`user.is_verified()`); other users, and API requests authenticated by a token, are never
asked.

Enrolment writes nothing until the code is confirmed: the page shows a fresh secret (as a QR code and
as text) and carries it, signed and short-lived, in the form it posts (`sign_key` / `unsign_key`).
"""

import io
import re
from base64 import b32encode
from binascii import unhexlify

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core import signing
from django.utils.safestring import SafeString, mark_safe
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from . import policy

VERIFY = "accounts:otp_verify"
ENROL = "accounts:otp_enrol"
ENROL_MAX_AGE = 15 * 60  # seconds a shown secret may be confirmed in
_SALT = "danvan.accounts.second_factor.enrol"
TOTP_CODE = re.compile(r"[0-9]{6}")
SESSION_KEY = "danvan_otp_device"  # does the signed-in administrator have a device? (noted at sign-in)


def is_verified(user) -> bool:
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def has_device(user) -> bool:
    """Has `user` a confirmed authenticator (TOTP device)?"""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def remember_at_login(sender, request=None, user=None, **kwargs) -> None:
    """On sign-in (`user_logged_in`), note in the session whether this administrator has a device, so
    that each later request need not ask the database (a device made later verifies the session that
    made it; one removed by an operator is noticed at the next sign-in)."""
    session = getattr(request, "session", None)
    if session is not None and user is not None and policy.is_administrator(user):
        session[SESSION_KEY] = has_device(user)


def step_needed(user, session=None) -> str | None:
    """The URL name of the page a signed-in `user` must pass before any other, or None. `session` is
    the request's, where sign-in noted whether the user has a device (asked of the database if not)."""
    if not getattr(user, "is_authenticated", False) or not policy.is_administrator(user):
        return None
    if is_verified(user):
        return None
    known = session.get(SESSION_KEY) if session is not None else None
    if known if known is not None else has_device(user):
        return VERIFY
    if settings.OTP_REQUIRED_FOR_ADMINS:
        return ENROL
    return None


def may_enrol(user) -> bool:
    """Only administrators use a second factor."""
    return policy.is_administrator(user)


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("-id").first()


def static_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("-id").first()


def backup_codes_left(user) -> int:
    device = static_device(user)
    return device.token_set.count() if device is not None else 0


# ---------------------------------------------------------------- enrolment


def new_key() -> str:
    """A fresh TOTP secret, hex-encoded as django-otp stores it."""
    return default_key()


def sign_key(user, key: str) -> str:
    return signing.dumps({"u": user.pk, "k": key}, salt=_SALT)


def unsign_key(user, signed: str) -> str | None:
    """The secret carried by the enrolment form, or None if it was tampered with, is another user's or
    is older than ENROL_MAX_AGE."""
    try:
        data = signing.loads(signed or "", salt=_SALT, max_age=ENROL_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk or not isinstance(data.get("k"), str):
        return None
    return data["k"]


def key_text(key: str) -> str:
    """The secret as an authenticator app asks it when typed: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def config_url(user, key: str) -> str:
    """The otpauth:// address the QR code holds (the app's name as issuer, the username as label)."""
    return TOTPDevice(user=user, key=key, name="default").config_url


def qr_svg(data: str) -> SafeString:
    """`data` as a QR code, an inline SVG (no script, no external file)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg") :]  # drop the XML declaration
    return mark_safe(svg)  # generated here from our own data, nothing a user typed goes in unescaped


def code_matches(key: str, code: str) -> tuple[bool, int]:
    """Does `code` match the secret `key` now (one step of tolerance either side)? And the time step."""
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=6)
    try:
        token = int(code)
    except ValueError:
        return False, totp.t()
    return bool(TOTP_CODE.fullmatch(code) and totp.verify(token, tolerance=1)), totp.t()
