"""Reads of who sent a case: the decrypted identity, the log of who saw it, who may see it, what the
key rotation covers.

Reading an identity here writes nothing: the pages that show a protected one go through
`services.identity_reveal`, which logs the showing first.
"""

from typing import Any, Protocol

from django.apps import apps
from django.db.models import BinaryField, QuerySet
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.core.paths import InTree

from . import crypto
from .models import Identity, IdentityAccess


class SentCase(Protocol):
    """What this package asks of a case (a `voice.Case`: identity imports no other sub-package)."""

    @property
    def pk(self) -> Any: ...

    @property
    def unit(self) -> InTree: ...

    @property
    def identity_protected(self) -> bool: ...


REVEAL_REFUSED = gettext_lazy("You may not see who sent this case.")


def may_reveal(*, case: SentCase, by: Actor) -> bool:
    """May `by` see (or correct) who sent `case`? Only a person, since the access log names who saw it
    (the system never does), and only as `policy.can_see_identity` allows: a protected identity (a
    denouncer's) only to the case handlers of the case's own unit."""
    return recorded_user(by) is not None and policy.can_see_identity(by, case)


@sensitive_variables()
def identity_of(case: SentCase) -> dict | None:
    """The decrypted identity of `case`, or None when it has none (anonymous)."""
    row = Identity.objects.filter(case_id=case.pk).only("ciphertext").first()
    return crypto.decrypt(row.ciphertext) if row is not None else None


def accesses(case: SentCase) -> QuerySet[IdentityAccess]:
    """Who saw the identity of `case`, newest first."""
    return IdentityAccess.objects.filter(case_id=case.pk).select_related("user").order_by("-at", "-id")


def unregistered_binary_fields() -> list[str]:
    """Binary fields of installed models that no rotation covers: if they hold tokens under
    IDENTITY_KEYS, dropping the old key makes them unreadable (they should call seal_register)."""
    covered = {(Identity, "ciphertext")} | {
        (model, name)
        for declared in (crypto.sealed_fields(), crypto.plain_fields())
        for model, names in declared.items()
        for name in names
    }
    return [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, BinaryField) and (model, field.name) not in covered
    ]
