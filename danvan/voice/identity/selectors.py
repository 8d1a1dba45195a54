"""Reads of who sent a case: the decrypted identity, the log of who saw it, what the key rotation covers.

Reading an identity here writes nothing: the pages that show a protected one go through
`services.identity_reveal`, which logs the showing first.
"""

from django.apps import apps
from django.db.models import BinaryField, Model, QuerySet
from django.views.decorators.debug import sensitive_variables

from . import crypto
from .models import Identity, IdentityAccess


@sensitive_variables()
def identity_of(case: Model) -> dict | None:
    """The decrypted identity of `case`, or None when it has none (anonymous)."""
    row = Identity.objects.filter(case=case).only("ciphertext").first()
    return crypto.decrypt(row.ciphertext) if row is not None else None


def accesses(case: Model) -> QuerySet[IdentityAccess]:
    """Who saw the identity of `case`, newest first."""
    return IdentityAccess.objects.filter(case=case).select_related("user").order_by("-at", "-id")


def unregistered_binary_fields() -> list[str]:
    """Binary fields of installed models that no rotation covers: if they hold tokens under
    IDENTITY_KEYS, dropping the old key makes them unreadable (they should call seal_register)."""
    covered = {(Identity, "ciphertext")} | {
        (model, name) for model, names in crypto.sealed_fields().items() for name in names
    }
    return [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, BinaryField) and (model, field.name) not in covered
    ]
