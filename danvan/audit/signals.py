"""Logins, logouts and failed logins go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from danvan.core.clients import client_ip

from .context import Actor, actor_for_user
from .models import AuditEvent
from .services import record


def _ip(request):
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="audit-login")
def on_login(sender, request, user, **kwargs):
    actor = actor_for_user(user, ip_address=_ip(request))
    record(action=AuditEvent.Action.LOGIN, instance=user, actor=actor, object_repr=user.get_username())


@receiver(user_logged_out, dispatch_uid="audit-logout")
def on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    actor = actor_for_user(user, ip_address=_ip(request))
    record(action=AuditEvent.Action.LOGOUT, instance=user, actor=actor, object_repr=user.get_username())


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    actor = Actor(id=None, label=username or "anonymous", ip_address=_ip(request))
    record(
        action=AuditEvent.Action.LOGIN_FAILED,
        actor=actor,
        model="accounts.user",
        object_repr=username,
    )
