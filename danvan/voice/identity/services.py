"""Writes of the submitters' identities: a handler's correction, the log of who saw one, key rotation.

Owns `IdentityAccess` rows and the writes of `Identity` after a case was received (cases.py writes
the first one). The callers (identity_views.py, `danvan rotate-identity-key`) have asked the policy.
No plaintext ever leaves this module except to the caller: the audit log sees the identity's row
without its ciphertext or fingerprints (apps.py), and these functions are `sensitive_variables`
so an error report shows their variables as stars.
"""

import logging
import re
from dataclasses import dataclass, field

from cryptography.fernet import InvalidToken
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from danvan.audit.models import AuditEvent
from danvan.audit.services import record

from . import identity, patterns
from .models import ANONYMOUS_KINDS, Attachment, Case, Identity, IdentityAccess

log = logging.getLogger(__name__)

FIELD_MAX = 300
_PHONE = re.compile(r"^\+?[0-9 .()\-]+$")
_ID_NUMBER = re.compile(r"^[A-Za-z0-9]{6,20}$")


class What:
    """What an `IdentityAccess` row records."""

    IDENTITY = "identity"  # the identity page was shown
    EDIT = "edit"  # a handler corrected it
    ATTACHMENT = "attachment"  # a protected attachment was downloaded


def access_log(*, case: Case, user, what: str, ip_address: str | None = None) -> IdentityAccess:
    """Write down that `user` saw (or changed) who sent `case`. Written before anything is shown."""
    return IdentityAccess.objects.create(case=case, user=user, what=what, ip_address=ip_address)


def accesses(case: Case):
    """Who saw the identity of `case`, newest first."""
    return IdentityAccess.objects.filter(case=case).select_related("user").order_by("-at", "-id")


@sensitive_variables()
def read(case: Case) -> dict | None:
    """The decrypted identity of `case`, or None when it has none (anonymous)."""
    row = Identity.objects.filter(case=case).first()
    return identity.decrypt(row.ciphertext) if row is not None else None


@sensitive_variables()
def _check(case: Case, person: dict) -> dict:
    errors: dict = {}
    if case.anonymous:
        errors["__all__"] = _("An anonymous submission carries no name or contact.")
        return errors
    if not person.get("name"):
        errors["name"] = _("Give the sender's full name.")
    if case.kind not in ANONYMOUS_KINDS and not person.get("address"):
        errors["address"] = _("Give the sender's address.")
    for key, value in person.items():
        if len(value) > FIELD_MAX:
            errors[key] = _("At most %(limit)s characters.") % {"limit": FIELD_MAX}
        elif any(ord(ch) < 32 for ch in value):
            errors[key] = _("The text holds a character that is not allowed.")
    if "phone" in person and "phone" not in errors:
        digits = sum(ch.isdigit() for ch in person["phone"])
        if not _PHONE.match(person["phone"]) or not 8 <= digits <= 15:
            errors["phone"] = _("The phone number is not valid: 8 to 15 digits, e.g. 0912 345 678.")
    if "email" in person and "email" not in errors:
        try:
            validate_email(person["email"])
        except ValidationError:
            errors["email"] = _("The e-mail address is not valid.")
    if "id_number" in person and "id_number" not in errors and not _ID_NUMBER.match(person["id_number"]):
        errors["id_number"] = _(
            "The identity document number is not valid: 6 to 20 letters and digits, e.g. 001099012345."
        )
    return errors


@sensitive_variables()
@transaction.atomic
def identity_correct(*, case: Case, data: dict, by, ip_address: str | None = None) -> Identity:
    """A handler corrects who sent `case`: re-encrypted, fingerprints recomputed, logged as an "edit"."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    person = identity.clean(data)
    if "id_number" in person:
        person["id_number"] = person["id_number"].replace(" ", "")
    errors = _check(case, person)
    if errors:
        raise ValidationError(errors)
    row = Identity.objects.select_for_update().filter(case=case).first() or Identity(case=case)
    row.ciphertext = identity.encrypt(person)
    row.fingerprints = identity.fingerprints(person)
    row.save()
    access_log(case=case, user=by, what=What.EDIT, ip_address=ip_address)
    return row


# ---------------------------------------------------------------- key rotation


@dataclass
class Rotation:
    """What a rotation did (or, for a check, what is still to do): rows re-encrypted under the first
    key, rows already under it, and rows no configured key can read (named by case id or token)."""

    identities: int = 0
    attachments: int = 0
    others: int = 0  # records of other apps sealed under the same keys (identity.seal_register)
    unchanged: int = 0
    unreadable: list[str] = field(default_factory=list)


def _batch(queryset, *, after: int, size: int, lock: bool) -> list:
    rows = queryset.filter(pk__gt=after).order_by("pk")
    return list((rows.select_for_update() if lock else rows)[:size])


@sensitive_variables()
def _identity_current(row: Identity) -> bool:
    token = bytes(row.ciphertext)
    return identity.is_current(token) and row.fingerprints == identity.fingerprints(identity.decrypt(token))


@sensitive_variables()
def _rotate_identities(rows: list[Identity], result: Rotation, *, check: bool) -> None:
    for row in rows:
        try:
            if _identity_current(row):
                result.unchanged += 1
                continue
            if not check:
                token = identity.rotate(row.ciphertext)
                prints = identity.fingerprints(identity.decrypt(token))
                # One UPDATE, no signals: the same person, nothing to audit or match again; the
                # indexed copy of the fingerprints (patterns.py) follows in the same transaction.
                Identity.objects.filter(pk=row.pk).update(ciphertext=token, fingerprints=prints)
                patterns.fingerprints_sync(row.case_id, prints)
        except (InvalidToken, ImproperlyConfigured):
            result.unreadable.append(f"identity:{row.case_id}")
            continue
        result.identities += 1


def _rotate_attachments(rows: list[Attachment], result: Rotation, *, check: bool) -> None:
    """Each rotated file is written beside the old one and the row pointed at it; the old files go
    once the batch commits, the new ones if it fails: a row always names a file its keys read."""
    written, replaced = [], []
    try:
        for row in rows:
            storage = row.file.storage
            try:
                with storage.open(row.file.name, "rb") as handle:
                    token = handle.read()
                if identity.is_current(token):
                    result.unchanged += 1
                    continue
                token = identity.rotate(token)
            except (InvalidToken, OSError):
                result.unreadable.append(f"attachment:{row.token}")
                continue
            result.attachments += 1
            if check:
                continue
            name = storage.save(
                row.file.field.generate_filename(row, row.name),
                ContentFile(token),
                max_length=row.file.field.max_length,
            )
            written.append((storage, name))
            Attachment.objects.filter(pk=row.pk).update(file=name)
            replaced.append((storage, row.file.name))
    except BaseException:
        _delete(written)
        raise
    transaction.on_commit(lambda: _delete(replaced))


def _rotate_sealed(field: str):
    """A batch rotator for one registered field of another app (empty tokens mean nobody)."""

    def rotate(rows, result: Rotation, *, check: bool) -> None:
        for row in rows:
            token = bytes(getattr(row, field) or b"")
            if not token:
                continue
            try:
                if identity.is_current(token):
                    result.unchanged += 1
                    continue
                if not check:
                    type(row).objects.filter(pk=row.pk).update(**{field: identity.rotate(token)})
            except InvalidToken:
                result.unreadable.append(f"{row._meta.label_lower}:{row.pk}")
                continue
            result.others += 1

    return rotate


def unregistered_binary_fields() -> list[str]:
    """Binary fields of installed models that no rotation covers: if they hold tokens under
    IDENTITY_KEYS, dropping the old key makes them unreadable (they should call seal_register)."""
    from django.apps import apps
    from django.db.models import BinaryField

    covered = {(Identity, "ciphertext")} | {
        (model, name) for model, names in identity.sealed_fields().items() for name in names
    }
    return [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, BinaryField) and (model, field.name) not in covered
    ]


def _delete(files) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            log.warning("An attachment file could not be deleted: %s", name)


def identity_keys_rotate(*, batch_size: int = 200, check: bool = False) -> Rotation:
    """Re-encrypt every identity, protected attachment and registered sealed record (identity.seal_register)
    under the first of IDENTITY_KEYS.

    Rows already under the first key (and fingerprints computed under it) are left alone, so the
    command can run again after an interruption. Each batch is one transaction: a failure rolls back
    its batch only, and every row stays readable with the keys configured. `check` counts, writes nothing.
    """
    result = Rotation()
    stores = [
        (Identity.objects.all(), _rotate_identities),
        (Attachment.objects.filter(protected=True), _rotate_attachments),
    ]
    for model, fields in identity.sealed_fields().items():
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
