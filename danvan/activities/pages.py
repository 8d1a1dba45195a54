"""What the registers' pages do the same way and only the registers do: `part_of`, a record that
belongs to another (a board's member, a dialogue's issue), seen and changed through that record's unit.

The rest of what pages share is the kit's: `core.pages` (`saved`, `acted`, `confirmed_delete`,
`year_in`) and `audit.exports.xlsx_export`.

This module never imports a register; the registers import it.
"""

from typing import TypeVar

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from danvan.accounts import policy
from danvan.accounts.permissions import obtain
from danvan.accounts.policy import Perm

M = TypeVar("M", bound=models.Model)


def part_of(
    request: HttpRequest,
    queryset: QuerySet[M],
    *,
    parent: str,
    pk: int,
    do: Perm | None = Perm.ACTIVITY_RECORD,
) -> M:
    """The record `pk` of `queryset` that belongs to its `parent` (the field naming it, e.g. "board"),
    seen with ACTIVITY_VIEW at the parent's unit (404 otherwise) and `do` there (403 without it)."""
    visible = policy.scope(
        request.user,
        Perm.ACTIVITY_VIEW,
        queryset.select_related(f"{parent}__unit"),
        field=f"{parent}__unit__path",
    )
    return obtain(visible, user=request.user, do=do, unit=lambda record: getattr(record, parent).unit, pk=pk)
