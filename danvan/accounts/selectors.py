"""Reads of accounts: users and the roles they hold.

What an administrator may manage (users and role assignments within their subtrees) is read by
`danvan.administration.selectors`.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet

from . import policy
from .models import ApiToken, RoleAssignment, User

Perm = policy.Perm


def password_link_valid_hours() -> int:
    """How many hours a password-setting or password-reset link stays valid (at least one)."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)


def user_by_username(username: str) -> User | None:
    """The active user whose username is `username`, or None."""
    return User.objects.filter(username=(username or "").strip(), is_active=True).first()


def api_tokens_of(user) -> "QuerySet[ApiToken]":
    """The API tokens `user` holds, newest first (revoked and expired ones too, for the record)."""
    if not getattr(user, "pk", None):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created", "-id")


# ---------------------------------------------------------------- who receives it


def holders(
    *, unit_ids: Iterable[int], roles: Iterable[str] | None = None, perm: Perm | None = None
) -> dict[int, list[User]]:
    """unit id → the active users with an e-mail address holding, at exactly that unit, one of `roles`
    or a role that grants `perm` (policy.GRANTS); each user once per unit, by username.

    Who receives a reminder or a notice. Only the units asked about count: which units those are
    (the parent in a period's tree, the units along a subtree) is the caller's business.
    """
    if roles is None and perm is None:
        raise ValueError("holders() needs roles, perm or both")
    wanted = set(roles or ())
    if perm is not None:
        wanted |= {role for role, perms in policy.GRANTS.items() if perm in perms}
    unit_ids = set(unit_ids)
    found: dict[int, list[User]] = {}
    if not unit_ids or not wanted:
        return found
    assignments = (
        RoleAssignment.objects.filter(unit_id__in=unit_ids, role__in=wanted, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("unit_id", "user__username", "id")
    )
    for assignment in assignments:
        users = found.setdefault(assignment.unit_id, [])
        if not users or users[-1].pk != assignment.user_id:  # two roles at one unit: still one user
            users.append(assignment.user)
    return found
