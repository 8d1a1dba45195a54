"""What the registers' APIs do the same way: the right every endpoint needs, and reading a request's
data through an input serializer.

`ViewRequired` (a mixin, first among a viewset's bases): every endpoint needs ACTIVITY_VIEW somewhere
(`HoldsPerm`); each record is then looked up with `accounts.permissions.obtain`.

`validated` checks the data with the register's serializer; every unit the data names is looked up
among the units where the user holds `perm` only (ACTIVITY_RECORD unless said), so a unit out of
reach gets the field's own "does not exist" message, the very one an unknown code gets
(`core.api.narrow_references`); a register narrows its other references with `narrow`.

This module never imports a register; the registers import it.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.request import Request

from danvan.accounts import policy
from danvan.accounts.permissions import HoldsPerm
from danvan.accounts.policy import Perm
from danvan.core.api import narrow_references
from danvan.orgs.models import Unit


class ViewRequired:
    """Every endpoint of the viewset needs ACTIVITY_VIEW somewhere (403 otherwise)."""

    permission_classes = [HoldsPerm]
    required_perm = Perm.ACTIVITY_VIEW


def validated(
    serializer_class: type[serializers.Serializer],
    request: Request,
    *,
    partial: bool = False,
    perm: Perm = Perm.ACTIVITY_RECORD,
    narrow: Callable[[QuerySet], QuerySet] | None = None,
) -> dict[str, Any]:
    """The request's data checked by `serializer_class` (a DRF ValidationError, HTTP 400, otherwise),
    units looked up where the user holds `perm`, other references passed through `narrow`."""

    def narrowed(qs: QuerySet) -> QuerySet:
        if qs.model is Unit:
            return policy.scope(request.user, perm, qs, field="path")
        return narrow(qs) if narrow is not None else qs

    serializer = serializer_class(data=request.data, partial=partial)
    narrow_references(serializer, narrowed)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
