"""Writes of accounts that belong to signing in: the password-setting e-mail.

Creating users and granting roles is the administrators' business: `danvan.administration.services`.
"""

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from danvan.accounts.actors import Actor

from . import policy
from .models import User
from .selectors import password_link_valid_hours


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
