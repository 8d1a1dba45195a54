"""What every module's API does the same way: the right every endpoint of a viewset needs, and reading
a request's data through an input serializer.

`PermRequired` (a mixin, first among a viewset's bases): every endpoint needs the viewset's
`required_perm` somewhere (`HoldsPerm`, with `action_perms` per action); each record is then looked up
with `accounts.permissions.obtain`.

`validated` checks the data with the module's serializer; every unit the data names is looked up
among the units where the user holds `perm` only, so a unit out of reach gets the field's own "does
not exist" message, the very one an unknown code gets (`core.api.narrow_references`); a module narrows
its other references with `narrow`. Units are known here as the role assignments name them (the
relation to `"orgs.Unit"`): accounts never imports `orgs`.
"""

from collections.abc import Callable, Collection
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from drf_spectacular.authentication import TokenScheme
from rest_framework import serializers
from rest_framework.request import Request

from danvan.core.api import narrow_references

from . import policy
from .models import RoleAssignment
from .permissions import HoldsPerm, Wanted
from .policy import Perm


class _ApiTokenScheme(TokenScheme):
    """The OpenAPI description of our token authentication: `Authorization: Token <secret>`, as DRF's."""

    target_class = "danvan.accounts.authentication.ApiTokenAuthentication"


class PermRequired:
    """Every endpoint of the viewset needs `required_perm` somewhere (403 otherwise); `action_perms`
    names another right for an action. A viewset that forgets to name its right fails loudly rather than
    letting every signed-in user through."""

    permission_classes = [HoldsPerm]
    required_perm: Wanted = None

    def initial(self, request, *args, **kwargs):
        if self.required_perm is None:
            raise ImproperlyConfigured(f"{type(self).__name__} names no required_perm")
        return super().initial(request, *args, **kwargs)


def validated(
    serializer_class: type[serializers.Serializer],
    request: Request,
    *,
    perm: Perm,
    partial: bool = False,
    narrow: Callable[[QuerySet], QuerySet] | None = None,
    only: Collection[str] | None = None,
) -> dict[str, Any]:
    """The request's data checked by `serializer_class` (a DRF ValidationError, HTTP 400, otherwise),
    units looked up where the user holds `perm`, other references passed through `narrow`. With `only`,
    just the references of those fields are narrowed (an issuing unit above one's own stays open)."""
    unit_model = RoleAssignment._meta.get_field("unit").related_model

    def narrowed(qs: QuerySet) -> QuerySet:
        if qs.model is unit_model:
            return policy.scope(request.user, perm, qs, field="path")
        return narrow(qs) if narrow is not None else qs

    serializer = serializer_class(data=request.data, partial=partial)
    if only is None:
        narrow_references(serializer, narrowed)
    else:
        for name in only:
            narrow_references(serializer.fields[name], narrowed)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
