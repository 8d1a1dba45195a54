"""Permission helpers every view and API endpoint uses, on top of the one policy (`policy.py`).

- `obtain(...)`: the record a user names, by the one rule of access: a record they may not even see
  answers 404 exactly like one that does not exist (its existence is not theirs to learn); one they
  see but may not act on answers 403. Pages and the API both call it: Django's `Http404` and
  `PermissionDenied` become 404 and 403 in DRF too.
- `HoldsPerm`: the DRF permission class. A view names the permission it needs (`required_perm`, or
  `action_perms` per action; a tuple means any of them) and a user who holds it nowhere gets 403
  before anything is looked up.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework.permissions import IsAuthenticated

from . import policy
from .policy import Perm

M = TypeVar("M", bound=Model)
_MAX_ID = 10**18  # an id that fits a 64-bit column


def _unit_of(record: Model) -> Any:
    return record.unit  # type: ignore[attr-defined]


def obtain(
    visible: QuerySet[M],
    *,
    user: Any,
    do: Perm | None = None,
    unit: Callable[[M], Any] = _unit_of,
    **lookup: Any,
) -> M:
    """The record of `visible` (what `user` may see) matching `lookup`; Http404 when there is none.

    With `do`, `user` must also hold `do` at the record's unit (`unit(record)`): PermissionDenied
    (403) otherwise. A `pk` that is not a whole number the database can hold answers 404 too.
    """
    pk = lookup.get("pk")
    if pk is not None and not (str(pk).isdecimal() and int(str(pk)) < _MAX_ID):
        raise Http404
    record = visible.filter(**lookup).first()
    if record is None:
        raise Http404
    if do is not None:
        policy.require(user, do, unit(record))
    return record


def holds_any(user: Any, perms: Perm | tuple[Perm, ...]) -> bool:
    """Does `user` hold `perms` (or one of them, for a tuple) at some unit?"""
    wanted = perms if isinstance(perms, tuple) else (perms,)
    return any(policy.has_any(user, perm) for perm in wanted)


class HoldsPerm(IsAuthenticated):
    """DRF: signed in, and holding the view's permission somewhere (403 otherwise).

    The view sets `required_perm` (a Perm or a tuple of Perms, any of which will do) and may set
    `action_perms = {"create": Perm.X, ...}` for actions that need another one; None needs nothing more.
    """

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        perms = getattr(view, "action_perms", {}).get(getattr(view, "action", None), view.required_perm)
        return perms is None or holds_any(request.user, perms)
