"""Writes of accounts that belong to signing in: the password-setting e-mail.

Creating users and granting roles is the administrators' business: `danvan.administration.services`.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import User


def password_link_valid_hours() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)


def password_setting_email_send(*, user: User, site_url: str) -> None:
    """Email `user` a one-time link to choose their password (the password-reset link).

    The link stops working once the password is set, and after PASSWORD_RESET_TIMEOUT.
    """
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
