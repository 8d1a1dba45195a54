"""Permission helpers every view and API endpoint uses, on top of the one policy (`policy.py`).

- `obtain(...)`: the record a user names, by the one rule of access: a record they may not even see
  answers 404 exactly like one that does not exist (its existence is not theirs to learn); one they
  see but may not act on answers 403. Pages and the API both call it: Django's `Http404` and
  `PermissionDenied` become 404 and 403 in DRF too.
- `HoldsPerm`: the DRF permission class. A view names the permission it needs (`required_perm`, or
  `action_perms` per action; a tuple means any of them; `AtRoot(perm)` means held over a whole tree)
  and a user who holds it nowhere gets 403 before anything is looked up. `require_somewhere` is the
  same check for a page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework.permissions import IsAuthenticated

from . import policy
from .policy import Perm

M = TypeVar("M", bound=Model)
_MAX_ID = 10**18  # an id that fits a 64-bit column


def _unit_of(record: Model) -> Any:
    return record.unit  # type: ignore[attr-defined]


def itself(record: Any) -> Any:
    """`obtain(..., unit=itself)`: the record is a unit, so its permissions are checked at the record."""
    return record


def _malformed(lookup: dict[str, Any]) -> bool:
    """A lookup no record can match: a `pk` that is not a whole number the database holds, or a string
    holding NUL (PostgreSQL cannot even compare such a string: asking would be a server error)."""
    pk = lookup.get("pk")
    if pk is not None and not (str(pk).isdecimal() and int(str(pk)) < _MAX_ID):
        return True
    return any(isinstance(value, str) and "\x00" in value for value in lookup.values())


def obtain(
    visible: QuerySet[M],
    *,
    user: Any,
    do: Perm | None = None,
    unit: Callable[[M], Any] = _unit_of,
    see: Callable[[M], bool] | None = None,
    **lookup: Any,
) -> M:
    """The record of `visible` (what `user` may see) matching `lookup`; Http404 when there is none.

    `see`, when given, is asked of the record found as well: for a visibility the policy cannot state as
    a queryset (a unit seen through one of several rights, or from above); False answers 404 too.
    With `do`, `user` must also hold `do` at the record's unit (`unit(record)`; `itself` for a unit):
    PermissionDenied (403) otherwise. A `pk` that is not a whole number the database can hold, or a
    value holding NUL, answers 404 without a query.
    """
    if _malformed(lookup):
        raise Http404
    record = visible.filter(**lookup).first()
    if record is None or (see is not None and not see(record)):
        raise Http404
    if do is not None:
        policy.require(user, do, unit(record))
    return record


@dataclass(frozen=True)
class AtRoot:
    """A permission held over a whole tree (at a root unit): what records of no unit need, e.g. to
    change a catalogue every unit shares (`policy.can(user, perm, None)`)."""

    perm: Perm


Wanted = Perm | AtRoot | tuple[Perm | AtRoot, ...] | None


def holds_any(user: Any, perms: Perm | AtRoot | tuple[Perm | AtRoot, ...]) -> bool:
    """Does `user` hold `perms` (or one of them, for a tuple) at some unit (at a root, for `AtRoot`)?"""
    wanted = perms if isinstance(perms, tuple) else (perms,)
    return any(
        policy.can(user, perm.perm, None) if isinstance(perm, AtRoot) else policy.has_any(user, perm)
        for perm in wanted
    )


def require_somewhere(user: Any, perms: Perm | AtRoot | tuple[Perm | AtRoot, ...]) -> None:
    """A page's `HoldsPerm`: PermissionDenied (403) unless `user` holds `perms` somewhere (`holds_any`)."""
    if not holds_any(user, perms):
        raise PermissionDenied


class HoldsPerm(IsAuthenticated):
    """DRF: signed in, and holding the view's permission somewhere (403 otherwise).

    The view sets `required_perm` (a Perm, an `AtRoot(Perm)` or a tuple of them, any of which will do;
    None or unset: signed in is enough) and may set `action_perms = {"create": Perm.X, ...}` for actions
    that need another one.
    """

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        default = getattr(view, "required_perm", None)
        perms: Wanted = getattr(view, "action_perms", {}).get(getattr(view, "action", None), default)
        return perms is None or holds_any(request.user, perms)
