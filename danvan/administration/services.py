"""User and role management: creating users, allowing or stopping their sign-in, granting and
revoking roles. Every role change is audited; the user's own changes through the User log."""

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.models import Role, RoleAssignment, User
from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core.text import validate_text
from danvan.orgs.models import Unit

from .selectors import account_fully_managed, sees_roleless_users

Perm = policy.Perm


def _require_role_manager(by: Actor, unit: Unit) -> None:
    if not policy.can(by, Perm.ROLE_MANAGE, unit):
        raise PermissionDenied(_("You may not manage roles at unit %(code)s.") % {"code": unit.code})


@transaction.atomic
def role_grant(*, user: User, unit: Unit, role: str, by: Actor) -> RoleAssignment:
    """Grant `role` at `unit` (it holds for the unit's subtree); `by` must manage roles there."""
    _require_role_manager(by, unit)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if unit.valid_to is not None and unit.valid_to <= timezone.localdate():
        raise ValidationError({"unit": _("Unit %(code)s is dissolved.") % {"code": unit.code}})
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"granted_by": recorded_user(by)}
    )
    if not created:
        raise ValidationError(
            _("%(user)s already holds this role at %(unit)s.") % {"user": user, "unit": unit.code}
        )
    record(
        action=AuditEvent.Action.ROLE_GRANT,
        instance=assignment,
        unit=unit,
        changes={"user": user.username, "role": [None, role], "unit": unit.code},
    )
    policy.forget(user)
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by: Actor) -> None:
    """Revoke a role assignment; `by` must manage roles at its unit, and not be its holder (an administrator
    who revoked their own role could lock the installation out: another administrator does it)."""
    _require_role_manager(by, assignment.unit)
    if by.pk is not None and by.pk == assignment.user_id:
        raise ValidationError(_("You cannot revoke your own role: ask another administrator."))
    record(
        action=AuditEvent.Action.ROLE_REVOKE,
        instance=assignment,
        unit=assignment.unit,
        changes={
            "user": assignment.user.username,
            "role": [assignment.role, None],
            "unit": assignment.unit.code,
        },
    )
    user = assignment.user
    assignment.delete()
    policy.forget(user)


def _username_taken(username: str, *, exclude_pk: int | None = None) -> bool:
    # Usernames differing only in case would be confused by people (and by the lockout).
    users = User.objects.filter(username__iexact=username)
    return (users if exclude_pk is None else users.exclude(pk=exclude_pk)).exists()


@transaction.atomic
def user_create(
    *,
    username: str,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    password: str | None,
    unit: Unit | None = None,
    role: str | None = None,
    by: Actor,
) -> User:
    """Create a user, with `password` or (None) none usable yet, and optionally a first role.

    The password is checked against the configured validators. Nothing is saved when any
    part fails, the first role included. The creation and the role grant are audited. `by` must
    manage roles at `unit`; a user without a first role only administrators of a whole tree create.
    """
    if unit is not None:
        _require_role_manager(by, unit)
    elif role is None and not sees_roleless_users(by):
        raise PermissionDenied(_("Only administrators of the whole tree may create users without a role."))
    username = User.normalize_username(username.strip())
    candidate = User(username=username, full_name=full_name.strip(), email=email.strip(), phone=phone.strip())
    candidate.email = User.objects.normalize_email(candidate.email)
    errors: dict[str, list[Any]] = {}
    try:
        candidate.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for name in ("full_name", "phone"):  # the username and the address have validators of their own
        try:
            validate_text(getattr(candidate, name))
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    if username and _username_taken(username):
        errors.setdefault("username", []).append(
            _("A user with username %(username)s already exists.") % {"username": username}
        )
    if password is not None:
        try:
            password_validation.validate_password(password, user=candidate)
        except ValidationError as exc:
            errors["password"] = exc.messages
    elif not candidate.email:
        errors.setdefault("email", []).append(
            _("An email address is needed to send the password-setting link.")
        )
    if (unit is None) != (role is None):
        errors.setdefault("role", []).append(_("Choose both a unit and a role, or neither."))
    if errors:
        raise ValidationError(errors)
    if password is None:
        candidate.set_unusable_password()
    else:
        candidate.set_password(password)
    candidate.save()
    if unit is not None and role is not None:
        role_grant(user=candidate, unit=unit, role=role, by=by)
    return candidate


def user_set_active(*, user: User, active: bool, by: Actor) -> User:
    """Allow or stop `user` from signing in (their roles stay). Audited through the User log.

    `by` must manage every role `user` holds (`selectors.account_fully_managed`)."""
    if not account_fully_managed(admin=by, user=user):
        raise PermissionDenied(_("You may not manage the account of %(user)s.") % {"user": user.username})
    if by.pk == user.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
    return user
