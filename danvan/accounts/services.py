"""Writes of accounts that belong to signing in: the password-setting e-mail, a person's API tokens
and the administrators' second factor.

Creating users and granting roles is the administrators' business: `danvan.administration.services`.
"""

import datetime

import django_otp
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox import crypto
from knox.settings import CONSTANTS

from danvan.accounts.actors import Actor
from danvan.audit.models import AuditEvent
from danvan.audit.services import record

from . import policy, second_factor
from .models import ApiToken, User
from .selectors import password_link_valid_hours

TOKEN_REVOKE = "token.revoke"


def _may_manage(by: Actor, user: User) -> bool:
    """Does `by` administer `user`: a role manager where the user holds a role (at a root for a user
    who holds none), as the administrators' pages decide who they see."""
    units = [assignment.unit for assignment in user.role_assignments.select_related("unit")]
    if not units:
        return policy.can(by, policy.Perm.ROLE_MANAGE, None)
    return any(policy.can(by, policy.Perm.ROLE_MANAGE, unit) for unit in units)


def password_setting_email_send(*, user: User, site_url: str, by: Actor) -> None:
    """Email `user` a one-time link to choose their password (the password-reset link), on behalf of
    `by`, an administrator of that user.

    The link stops working once the password is set, and after PASSWORD_RESET_TIMEOUT.
    """
    if not _may_manage(by, user):
        raise PermissionDenied(_("You may not manage the account of %(user)s.") % {"user": user.username})
    if not user.email:
        raise ValidationError({"email": _("An email address is needed to send the password-setting link.")})
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "link": site_url.rstrip("/") + path, "valid_hours": password_link_valid_hours()}
    subject = "".join(render_to_string("accounts/password_set_subject.txt", context).splitlines())
    body = render_to_string("accounts/password_set_email.txt", context)
    send_mail(subject, body, None, [user.email])


# ---------------------------------------------------------------- API tokens


def _token_of_user(by: Actor) -> User:
    """The signed-in person a token is made for (the installation itself holds none)."""
    if not isinstance(by, User) or not by.is_active:
        raise PermissionDenied(_("Only a signed-in person may hold API tokens."))
    return by


@transaction.atomic
def api_token_create(*, name: str, days: int, by: Actor) -> tuple[ApiToken, str]:
    """A new API token of `by`, named `name`, valid for `days` days (one of settings.API_TOKEN_DAYS):
    the row, which keeps only a hash of the secret, and the secret itself, to be shown this once."""
    owner = _token_of_user(by)
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = _("Give the token a name that says where it is used.")
    elif len(name) > 100:
        errors["name"] = _("The name may be at most 100 characters long.")
    if days not in settings.API_TOKEN_DAYS:
        errors["days"] = _("Choose how long the token stays valid among the durations offered.")
    if errors:
        raise ValidationError(errors)
    secret = crypto.create_token_string()  # as knox's AuthTokenManager.create: 32 random bytes, in hex
    token = ApiToken.objects.create(
        user=owner,
        name=name,
        digest=crypto.hash_token(secret),
        token_key=secret[: CONSTANTS.TOKEN_KEY_LENGTH],
        expiry=timezone.now() + datetime.timedelta(days=days),
    )
    record(
        action=AuditEvent.Action.CREATE,
        instance=token,
        changes={
            "name": [None, token.name],
            "user": [None, owner.username],
            "expiry": [None, token.expiry.isoformat()],
        },
    )
    return token, secret


def _may_revoke(by: Actor, token: ApiToken) -> bool:
    """Its owner may revoke a token, and so may an administrator of the owner's account."""
    return (isinstance(by, User) and by.pk == token.user_id) or _may_manage(by, token.user)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Actor) -> ApiToken:
    """Revoke `token` for good: from now on it answers 401. The row stays, with when it was revoked."""
    if not _may_revoke(by, token):
        raise PermissionDenied(_("You may not revoke this API token."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("This API token was already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(action=TOKEN_REVOKE, instance=token, changes={"revoked_at": [None, token.revoked_at.isoformat()]})
    return token


# ---------------------------------------------------------------- the administrators' second factor

OTP_ENROL = "otp.enrol"
OTP_FAILED = "otp.failed"


@transaction.atomic
def second_factor_enrol(*, key: str, code: str, by: Actor) -> tuple[TOTPDevice, list[str]]:
    """Give administrator `by` the authenticator whose secret is `key`, once `code` shows their app
    holds it; any earlier authenticator and backup codes of theirs stop working. Returns the device
    and new backup codes (settings.OTP_BACKUP_CODES of them), to be shown this once."""
    if not isinstance(by, User) or not second_factor.may_enrol(by):
        raise PermissionDenied(_("Only administrators use two-step sign-in."))
    code = "".join((code or "").split())
    matches, step = second_factor.code_matches(key, code)
    if not matches:
        raise ValidationError({"code": _("The code is not right: type the 6 digits your app shows now.")})
    TOTPDevice.objects.filter(user=by).delete()
    StaticDevice.objects.filter(user=by).delete()
    device = TOTPDevice.objects.create(
        user=by, name=_("Authenticator app"), key=key, confirmed=True, last_t=step
    )
    backup = StaticDevice.objects.create(user=by, name=_("Backup codes"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(settings.OTP_BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=token) for token in codes])
    record(action=OTP_ENROL, instance=by, object_repr=by.get_username(), changes={"backup_codes": len(codes)})
    return device, codes


def second_factor_verify(*, code: str, by: Actor) -> Device:
    """The device of administrator `by` that accepts `code` (the authenticator's 6 digits, or a backup
    code, which is then used up); ValidationError otherwise. Wrong codes slow the next tries down
    (django-otp's throttling: 1, 2, 4, 8 … seconds) and each is recorded in the audit log. Not one
    transaction: a wrong code's count must stay even though the call fails."""
    if not isinstance(by, User) or not by.is_active:
        raise PermissionDenied
    code = "".join((code or "").split()).lower()
    if second_factor.TOTP_CODE.fullmatch(code):
        device: Device | None = second_factor.totp_device(by)
    else:
        device = second_factor.static_device(by)
    if device is None or not code:
        raise ValidationError(
            {"code": _("Type the 6-digit code your authenticator app shows, or one of your backup codes.")}
        )
    allowed, details = device.verify_is_allowed()
    if not allowed:
        until = (details or {}).get("locked_until")
        raise ValidationError(
            {
                "code": _("Too many wrong codes. Wait until %(time)s, then try again.")
                % {"time": timezone.localtime(until).strftime("%H:%M:%S") if until else "—"}
            }
        )
    verified = django_otp.verify_token(by, device.persistent_id, code)
    if verified is None:
        record(action=OTP_FAILED, instance=by, object_repr=by.get_username())
        raise ValidationError(
            {"code": _("The code is not right. Check the time on your phone and try again.")}
        )
    return verified
