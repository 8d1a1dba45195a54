"""Reads for user and role management: which users and role assignments an admin may manage.

An administrator (Perm.ROLE_MANAGE) manages the users who hold a role inside the subtrees they
administer. Users without any role belong to no unit, so only administrators at a root (and
superusers) see them. Every answer here is computed through `policy`.
"""

from django.db.models import Prefetch, Q, QuerySet

from danvan.accounts import policy
from danvan.accounts.actors import Actor
from danvan.accounts.models import RoleAssignment, User
from danvan.core.text import search_key, search_terms

Perm = policy.Perm


def assignments_managed_by(*, admin: Actor) -> QuerySet[RoleAssignment]:
    """Role assignments at units inside the subtrees `admin` administers."""
    qs = RoleAssignment.objects.select_related("unit", "user", "granted_by")
    return policy.scope(admin, Perm.ROLE_MANAGE, qs, field="unit__path")


def sees_roleless_users(admin: Actor) -> bool:
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


def account_fully_managed(*, admin: Actor, user: User) -> bool:
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
