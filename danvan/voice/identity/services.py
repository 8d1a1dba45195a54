"""Writes of who sent a case: sealing and replacing an identity, revealing it with the access log,
the indexed fingerprints, key rotation.

Owns the writes of `Identity`, `CaseFingerprint` and `IdentityAccess`. The callers have asked the
policy (the case file's pages) or run as the system (`danvan rotate-identity-key`); which sender a
kind of case needs is the cases' rule (`cases.services`). No plaintext ever leaves this module
except to the caller: the audit log sees the identity's row without its ciphertext or fingerprints
(apps.py), and these functions are `sensitive_variables` so an error report shows their variables
as stars.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cryptography.fernet import InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Model, QuerySet
from django.views.decorators.debug import sensitive_variables

from danvan.accounts.models import User
from danvan.audit.models import AuditEvent
from danvan.audit.services import record

from . import crypto
from .models import CaseFingerprint, Identity, IdentityAccess


class What:
    """What an `IdentityAccess` row records."""

    IDENTITY = "identity"  # the identity page was shown
    EDIT = "edit"  # a handler corrected it
    ATTACHMENT = "attachment"  # a protected attachment was downloaded


# ---------------------------------------------------------------- sealing and revealing


@sensitive_variables()
def identity_seal(*, case: Model, person: dict) -> Identity | None:
    """Keep who sent a case being received: encrypted, with its fingerprints (None when `person` is empty).

    Called in the transaction that records the case (`cases.services.case_receive`).
    """
    person = crypto.clean(person)
    if not person:
        return None
    return Identity.objects.create(
        case=case, ciphertext=crypto.encrypt(person), fingerprints=crypto.fingerprints(person)
    )


@sensitive_variables()
@transaction.atomic
def identity_replace(*, case: Model, person: dict) -> Identity:
    """Put `person` in place of who sent `case` (a handler's correction): re-encrypted, fingerprints
    recomputed. The caller has checked `person` against the case (`cases.services.identity_correct`)."""
    row = Identity.objects.select_for_update().filter(case=case).first() or Identity(case=case)
    row.ciphertext = crypto.encrypt(person)
    row.fingerprints = crypto.fingerprints(person)
    row.save()
    return row


def identity_access_record(
    *, case: Model, user: User, what: str, ip_address: str | None = None
) -> IdentityAccess:
    """Write down that `user` saw (or changed) who sent `case`. Written before anything is shown."""
    return IdentityAccess.objects.create(case=case, user=user, what=what, ip_address=ip_address)


@sensitive_variables()
def identity_reveal(*, case: Model, user: User, ip_address: str | None = None) -> dict | None:
    """Who sent `case`, decrypted, once the showing is written to the access log (None: anonymous)."""
    identity_access_record(case=case, user=user, what=What.IDENTITY, ip_address=ip_address)
    row = Identity.objects.filter(case=case).first()
    return crypto.decrypt(row.ciphertext) if row is not None else None


def fingerprints_sync(*, case_id: int, values: Iterable[str] | None) -> None:
    """Make the indexed copy of a case's fingerprints (`CaseFingerprint`) equal to `values`."""
    wanted = set(values or [])
    current = set(CaseFingerprint.objects.filter(case_id=case_id).values_list("value", flat=True))
    if current - wanted:
        CaseFingerprint.objects.filter(case_id=case_id, value__in=current - wanted).delete()
    CaseFingerprint.objects.bulk_create(
        [CaseFingerprint(case_id=case_id, value=value) for value in sorted(wanted - current)]
    )


# ---------------------------------------------------------------- key rotation


@dataclass
class Rotation:
    """What a rotation did (or, for a check, what is still to do): rows re-encrypted under the first
    key, rows already under it, and rows no configured key can read (named by case id or token)."""

    identities: int = 0
    attachments: int = 0
    others: int = 0  # records of other apps sealed under the same keys (crypto.seal_register)
    unchanged: int = 0
    unreadable: list[str] = field(default_factory=list)


# Rows other parts of voice keep sealed under the same keys (the cases' protected attachments),
# rotated after the identities: {name: (rows, rotate)}, registered from the app's ready().
Rotator = Callable[..., None]  # rotate(batch, result, *, check)
_stores: dict[str, tuple[Callable[[], QuerySet], Rotator]] = {}


def rotation_register(name: str, *, rows: Callable[[], QuerySet], rotate: Rotator) -> None:
    """Rotate `rows()` batch by batch with `rotate(batch, result, check=…)` after the identities."""
    _stores[name] = (rows, rotate)


def _batch(queryset, *, after: int, size: int, lock: bool) -> list:
    rows = queryset.filter(pk__gt=after).order_by("pk")
    return list((rows.select_for_update() if lock else rows)[:size])


@sensitive_variables()
def _identity_current(row: Identity) -> bool:
    token = bytes(row.ciphertext)
    return crypto.is_current(token) and row.fingerprints == crypto.fingerprints(crypto.decrypt(token))


@sensitive_variables()
def _rotate_identities(rows: list[Identity], result: Rotation, *, check: bool) -> None:
    for row in rows:
        try:
            if _identity_current(row):
                result.unchanged += 1
                continue
            if not check:
                token = crypto.rotate(row.ciphertext)
                prints = crypto.fingerprints(crypto.decrypt(token))
                # One UPDATE, no signals: the same person, nothing to audit or match again; the
                # indexed copy of the fingerprints follows in the same transaction.
                Identity.objects.filter(pk=row.pk).update(ciphertext=token, fingerprints=prints)
                fingerprints_sync(case_id=row.case_id, values=prints)
        except (InvalidToken, ImproperlyConfigured):
            result.unreadable.append(f"identity:{row.case_id}")
            continue
        result.identities += 1


def _rotate_sealed(field: str):
    """A batch rotator for one registered field of another app (empty tokens mean nobody)."""

    def rotate(rows, result: Rotation, *, check: bool) -> None:
        for row in rows:
            token = bytes(getattr(row, field) or b"")
            if not token:
                continue
            try:
                if crypto.is_current(token):
                    result.unchanged += 1
                    continue
                if not check:
                    type(row).objects.filter(pk=row.pk).update(**{field: crypto.rotate(token)})
            except InvalidToken:
                result.unreadable.append(f"{row._meta.label_lower}:{row.pk}")
                continue
            result.others += 1

    return rotate


def identity_keys_rotate(*, batch_size: int = 200, check: bool = False) -> Rotation:
    """Re-encrypt under the first of IDENTITY_KEYS every identity, every registered store (the cases'
    protected attachments: `rotation_register`) and every registered sealed field (`crypto.seal_register`).

    Rows already under the first key (and fingerprints computed under it) are left alone, so the
    command can run again after an interruption. Each batch is one transaction: a failure rolls back
    its batch only, and every row stays readable with the keys configured. `check` counts, writes nothing.
    """
    result = Rotation()
    stores = [(Identity.objects.all(), _rotate_identities)]
    stores += [(rows(), rotate) for rows, rotate in _stores.values()]
    for model, fields in crypto.sealed_fields().items():
        stores += [(model._default_manager.all(), _rotate_sealed(field)) for field in fields]
    for queryset, rotate in stores:
        after = 0
        while True:
            with transaction.atomic():
                rows = _batch(queryset, after=after, size=batch_size, lock=not check)
                if not rows:
                    break
                rotate(rows, result, check=check)
            after = rows[-1].pk
    if not check and (result.identities or result.attachments or result.others):
        record(
            action=AuditEvent.Action.UPDATE,
            model="voice.identity",
            object_repr="rotate-identity-key",
            changes={
                "identities": result.identities,
                "attachments": result.attachments,
                "others": result.others,
            },
        )
    return result
