"""Writes of who sent a case: sealing and replacing an identity, revealing it with the access log,
the indexed fingerprints, key rotation.

Owns the writes of `Identity`, `CaseFingerprint` and `IdentityAccess`. Each takes `by` and asks the
policy first (PermissionDenied, nothing written): sealing and the fingerprints need CASE_HANDLE at
the case's unit (the cases' intake; the system, for the portal and the signal that keeps the index);
replacing, revealing and the access log need a person whom `policy.can_see_identity` allows
(`selectors.may_reveal`: a denouncer only to the case handlers of the case's own unit, never the
system, whose showing the access log could not name); rotating the keys is the installation's
operators' (`danvan rotate-identity-key` runs as the system). Which sender a kind of case needs is
the cases' rule (`cases.services`). No plaintext ever leaves this module except to the caller: the
audit log sees the identity's row without its ciphertext or fingerprints (apps.py), and these
functions are `sensitive_variables` so an error report shows their variables as stars.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography.fernet import InvalidToken
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.audit.models import AuditEvent
from danvan.audit.services import record

from . import crypto
from .models import CaseFingerprint, Identity, IdentityAccess
from .selectors import REVEAL_REFUSED, SentCase, may_reveal


class What:
    """What an `IdentityAccess` row records."""

    IDENTITY = "identity"  # the identity page was shown
    EDIT = "edit"  # a handler corrected it
    ATTACHMENT = "attachment"  # a protected attachment was downloaded


def _require_handle(by: Actor, case: SentCase) -> None:
    if not policy.can(by, Perm.CASE_HANDLE, case.unit):
        raise PermissionDenied(_("You may not handle the cases of this unit."))


def _require_reveal(by: Actor, case: SentCase) -> None:
    if not may_reveal(case=case, by=by):
        raise PermissionDenied(REVEAL_REFUSED)


# ---------------------------------------------------------------- sealing and revealing


@sensitive_variables()
def identity_seal(*, case: SentCase, person: dict, by: Actor) -> Identity | None:
    """Keep who sent a case being received: encrypted, with its fingerprints (None when `person` is empty).

    Called in the transaction that records the case (`cases.services.case_receive`), by whoever
    receives it (CASE_HANDLE at the case's unit).
    """
    _require_handle(by, case)
    person = crypto.clean(person)
    if not person:
        return None
    return Identity.objects.create(
        case_id=case.pk, ciphertext=crypto.encrypt(person), fingerprints=crypto.fingerprints(person)
    )


@sensitive_variables()
@transaction.atomic
def identity_replace(*, case: SentCase, person: dict, by: Actor) -> Identity:
    """Put `person` in place of who sent `case` (a handler's correction): re-encrypted, fingerprints
    recomputed. `by` handles the case's unit and may see its sender; the caller has checked `person`
    against the case (`cases.services.identity_correct`)."""
    _require_handle(by, case)
    _require_reveal(by, case)
    row = Identity.objects.select_for_update().filter(case_id=case.pk).first() or Identity(case_id=case.pk)
    row.ciphertext = crypto.encrypt(person)
    row.fingerprints = crypto.fingerprints(person)
    row.save()
    return row


def identity_access_record(
    *, case: SentCase, what: str, by: Actor, ip_address: str | None = None
) -> IdentityAccess:
    """Write down that `by` saw (or changed) who sent `case`. Written before anything is shown; only
    for a person the policy lets see it."""
    _require_reveal(by, case)
    user = recorded_user(by)
    if user is None:  # may_reveal has refused it already: the log names a person
        raise PermissionDenied(REVEAL_REFUSED)
    return IdentityAccess.objects.create(case_id=case.pk, user=user, what=what, ip_address=ip_address)


@sensitive_variables()
def identity_reveal(*, case: SentCase, by: Actor, ip_address: str | None = None) -> dict | None:
    """Who sent `case`, decrypted, once the showing is written to the access log (None: anonymous).

    Refused (PermissionDenied, nothing written) unless `by` is a person `policy.can_see_identity`
    allows: a protected identity only to the case handlers of the case's own unit; never the system."""
    _require_reveal(by, case)
    identity_access_record(case=case, what=What.IDENTITY, ip_address=ip_address, by=by)
    row = Identity.objects.filter(case_id=case.pk).first()
    return crypto.decrypt(row.ciphertext) if row is not None else None


def _fingerprints_sync(case_id: int, values: Iterable[str] | None) -> None:
    wanted = set(values or [])
    current = set(CaseFingerprint.objects.filter(case_id=case_id).values_list("value", flat=True))
    if current - wanted:
        CaseFingerprint.objects.filter(case_id=case_id, value__in=current - wanted).delete()
    CaseFingerprint.objects.bulk_create(
        [CaseFingerprint(case_id=case_id, value=value) for value in sorted(wanted - current)]
    )


def fingerprints_sync(*, case: SentCase, values: Iterable[str] | None, by: Actor) -> None:
    """Make the indexed copy of a case's fingerprints (`CaseFingerprint`) equal to `values`
    (CASE_HANDLE at the case's unit: the system, from the signal that follows every saved identity)."""
    _require_handle(by, case)
    _fingerprints_sync(case.pk, values)


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


def _batch(queryset: QuerySet, *, after: int, size: int, lock: bool) -> list:
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
                _fingerprints_sync(row.case_id, prints)
        except (InvalidToken, ImproperlyConfigured):
            result.unreadable.append(f"identity:{row.case_id}")
            continue
        result.identities += 1


def _rotate_sealed(field: str) -> crypto.Rotator:
    """A batch rotator for one registered field of another app (empty tokens mean nobody)."""

    def rotate(rows: list[Model], result: Rotation, *, check: bool) -> None:
        for row in rows:
            token = bytes(getattr(row, field) or b"")
            if not token:
                continue
            try:
                if crypto.is_current(token):
                    result.unchanged += 1
                    continue
                if not check:
                    type(row)._default_manager.filter(pk=row.pk).update(**{field: crypto.rotate(token)})
            except InvalidToken:
                result.unreadable.append(f"{row._meta.label_lower}:{row.pk}")
                continue
            result.others += 1

    return rotate


def identity_keys_rotate(*, by: Actor, batch_size: int = 200, check: bool = False) -> Rotation:
    """Re-encrypt under the first of IDENTITY_KEYS every identity, every registered store (the cases'
    protected attachments: `crypto.rotation_register`) and every registered sealed field
    (`crypto.seal_register`).

    The keys are the installation's: only its operators (the system, as `danvan rotate-identity-key`
    runs) may rotate them or count what is left. Rows already under the first key (and fingerprints
    computed under it) are left alone, so the command can run again after an interruption. Each batch
    is one transaction: a failure rolls back its batch only, and every row stays readable with the
    keys configured. `check` counts, writes nothing.
    """
    if not by.is_superuser:
        raise PermissionDenied(_("Only the operators of the installation may rotate the identity keys."))
    result = Rotation()
    stores: list[tuple[QuerySet, crypto.Rotator]] = [(Identity.objects.all(), _rotate_identities)]
    stores += [(rows(), rotate) for rows, rotate in crypto.rotation_stores()]
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
