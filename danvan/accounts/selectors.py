"""Reads of accounts for administrators: which users and role assignments an admin may manage.

An administrator (Perm.ROLE_MANAGE) manages the users who hold a role inside the subtrees they
administer. Users without any role belong to no unit, so only administrators at a root (and
superusers) see them. Every answer here is computed through `policy`.
"""

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from danvan.core.text import search_key, search_terms

from . import policy
from .models import RoleAssignment, User

Perm = policy.Perm


def assignments_managed_by(*, admin: User) -> QuerySet[RoleAssignment]:
    """Role assignments at units inside the subtrees `admin` administers."""
    qs = RoleAssignment.objects.select_related("unit", "user", "granted_by")
    return policy.scope(admin, Perm.ROLE_MANAGE, qs, field="unit__path")


def sees_roleless_users(admin: User) -> bool:
    """Users with no role belong to no unit: only administrators at a root may manage them."""
    return policy.can(admin, Perm.ROLE_MANAGE, None)


def users_managed_by(*, admin: User) -> QuerySet[User]:
    """Users holding a role inside `admin`'s subtrees, plus role-less users for root administrators.

    Each user carries `managed_assignments`: only the assignments `admin` may see and revoke.
    """
    if not policy.has_any(admin, Perm.ROLE_MANAGE):
        return User.objects.none()
    in_scope = assignments_managed_by(admin=admin)
    condition = Q(pk__in=in_scope.values("user_id"))
    if sees_roleless_users(admin):
        condition |= ~Q(pk__in=RoleAssignment.objects.values("user_id"))
    visible = in_scope.order_by("unit__path", "role")
    return (
        User.objects.filter(condition)
        .order_by("username")
        .prefetch_related(Prefetch("role_assignments", visible, to_attr="managed_assignments"))
    )


def user_search(*, users: QuerySet[User], query: str) -> QuerySet[User]:
    """`users` whose username, full name or email contain every word of `query`.

    Ignores diacritics and case ("nguyen van an" finds "Nguyễn Văn An"). Names are matched in
    Python on the candidate set, which an administrator's scope keeps small.
    """
    terms = search_terms(query)
    if not terms:
        return users
    matching = [
        pk
        for pk, username, full_name, email in users.values_list("pk", "username", "full_name", "email")
        if all(term in search_key(f"{username} {full_name} {email}") for term in terms)
    ]
    return users.filter(pk__in=matching)


def user_for_admin(*, admin: User, pk: int) -> User:
    """The user `pk` if `admin` manages them; Http404 otherwise (never reveal who exists elsewhere)."""
    user = users_managed_by(admin=admin).filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def account_fully_managed(*, admin: User, user: User) -> bool:
    """May `admin` change `user`'s account itself (e.g. deactivate it)?

    Only when every role the user holds lies inside `admin`'s subtrees, so one unit's
    administrator can't lock out a person another unit depends on; superusers only by superusers.
    """
    if user.is_superuser and not admin.is_superuser:
        return False
    roles = RoleAssignment.objects.filter(user=user)
    if not roles.exists():
        return sees_roleless_users(admin)
    return not roles.exclude(pk__in=assignments_managed_by(admin=admin).values("pk")).exists()


def assignment_for_admin(*, admin: User, pk: int) -> RoleAssignment:
    """The role assignment `pk` if it lies inside `admin`'s subtrees; Http404 otherwise."""
    assignment = assignments_managed_by(admin=admin).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    return assignment


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
