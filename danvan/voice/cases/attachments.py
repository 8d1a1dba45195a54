"""Files sent with a case: what a submission accepts, and how voice keeps them.

Checking and storing are the kit's (`danvan.core.uploads`): the type read from the content, the name
agreeing with it, no macros, scripts, zip bombs or polyglots; a random token for a name, the SHA-256
recorded, `read()` checking it. Voice adds its own rules and the protection of files.

Accepted: PDF, JPEG and PNG images, Word (DOCX) and Excel (XLSX) documents, MP3 and M4A recordings.
Limits (settings, in MB; defaults in brackets): one file VOICE_MAX_ATTACHMENT_MB (10), files of one
submission VOICE_MAX_ATTACHMENTS (5) and VOICE_MAX_SUBMISSION_MB (25) together. `max_request_bytes()`
is what a whole submission request may weigh; the portal refuses a bigger body before reading it.

Storage: under MEDIA_ROOT at voice/<case id>/<random token>, never under the sent name; the name is
kept (sanitised) for display. Protected files (a denouncer's handwriting, identity papers) are stored
encrypted with the identity key (crypto.encrypt_bytes); their SHA-256 is that of the original
content. Files are never served from MEDIA_URL: a view that asks the policy serves them through
`read()`.

`store()` writes the file, then its row. When the caller's transaction rolls back afterwards, the
file stays on disk: call `discard()` on what was stored (the portal does). `protect()` encrypts in
place the files of a case whose sender's identity became protected (reclassified as a denunciation);
`rotate()` re-encrypts protected files under a new identity key.
"""

import logging

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from danvan.core import uploads
from danvan.voice.identity import crypto

from .models import Attachment, Case

log = logging.getLogger(__name__)

REQUEST_OVERHEAD_BYTES = uploads.MB  # the form's text fields and the multipart framing around the files
KINDS = (uploads.PDF, uploads.JPEG, uploads.PNG, uploads.DOCX, uploads.XLSX, uploads.MP3, uploads.M4A)
ACCEPT = uploads.accept(KINDS)  # for <input accept>

DamagedAttachment = uploads.DamagedFile


def max_file_bytes() -> int:
    return uploads.setting_bytes("VOICE_MAX_ATTACHMENT_MB", 10)


def max_total_bytes() -> int:
    return uploads.setting_bytes("VOICE_MAX_SUBMISSION_MB", 25)


def max_files() -> int:
    return int(getattr(settings, "VOICE_MAX_ATTACHMENTS", 5))


def max_request_bytes() -> int:
    return max_total_bytes() + REQUEST_OVERHEAD_BYTES


def rules() -> uploads.Rules:
    """What one submission accepts, with the limits set now."""
    return uploads.Rules(
        KINDS, max_file_bytes=max_file_bytes(), max_files=max_files(), max_total_bytes=max_total_bytes()
    )


def total_mb_text() -> str:
    return uploads.megabytes_text(max_total_bytes())


def accepted_types_text() -> str:
    return rules().accepted_text()


def check(uploaded_file) -> uploads.Checked:
    """The checks on one file, without storing it. Raises ValidationError (in Vietnamese)."""
    return uploads.check(uploaded_file, rules())


def check_all(files) -> list[uploads.Checked]:
    """The checks on every file of one submission, and on their number and total size (every
    problem at once)."""
    return uploads.check_all(files, rules())


def store(case: Case, uploaded_file, *, protected: bool = False) -> Attachment:
    """Check `uploaded_file` and keep it with `case`; protected content is encrypted first."""
    checked = check(uploaded_file)
    attachment = Attachment(case=case, token=uploads.new_token(), protected=protected)
    stored = uploads.store(
        attachment.file, checked, content=crypto.encrypt_bytes(checked.content) if protected else None
    )
    attachment.name, attachment.content_type = stored.name, stored.content_type
    attachment.size, attachment.sha256 = stored.size, stored.sha256
    try:
        attachment.save()
    except Exception:
        uploads.discard([stored])
        raise
    return attachment


def read(attachment: Attachment) -> bytes:
    """The original content (decrypted when protected), checked against its recorded SHA-256."""
    decode = crypto.decrypt_bytes if attachment.protected else None
    return uploads.read(attachment.file, sha256=attachment.sha256, decode=decode)


def protect(case: Case) -> list[Attachment]:
    """Encrypt in place the files of `case` not yet protected: its sender's identity became protected.

    A complaint reclassified as a denunciation keeps the scans it came with; they carry the
    denouncer's handwriting, so they are protected like those of a denunciation from the start. Each
    file is written again encrypted (crypto.encrypt_bytes) under a new name, then its row is
    pointed at the new file and marked protected, in the caller's transaction; the SHA-256 (of the
    original content, as `read()` checks it) and the size do not change. The plaintext copies are
    removed once the transaction commits. When writing fails, the encrypted copies already written
    are removed and the error goes up (the transaction rolls back; the rows keep their old files).
    Returns the attachments it protected.
    """
    done: list[Attachment] = []
    written: list = []  # the encrypted copies, to remove if anything fails
    plain: list = []  # the plaintext copies, to remove after the commit
    try:
        for attachment in case.attachments.select_for_update().filter(protected=False).order_by("id"):
            with attachment.file.open("rb") as handle:
                content = handle.read()
            plain.append(attachment.file.name)
            written.append(uploads.write(attachment.file, crypto.encrypt_bytes(content)))
            attachment.protected = True
            attachment.save(update_fields=["file", "protected"])
            done.append(attachment)
    except BaseException:
        uploads.discard(written, storage=Attachment.file.field.storage)
        raise
    uploads.discard_after_commit(plain, storage=Attachment.file.field.storage)
    return done


def discard(attachments) -> None:
    """Remove the files of attachments whose rows were rolled back (or are being deleted)."""
    uploads.discard(attachment.file for attachment in attachments)


def rotate(rows: list[Attachment], result, *, check: bool) -> None:
    """Re-encrypt a batch of protected files under the first identity key, for `danvan rotate-identity-key`
    (registered with `identity.crypto.rotation_register`; `result` is its `Rotation`).

    Each rotated file is written beside the old one and the row pointed at it; the old files go
    once the batch commits, the new ones if it fails: a row always names a file its keys read."""
    written, replaced = [], []
    try:
        for row in rows:
            storage = row.file.storage
            try:
                with storage.open(row.file.name, "rb") as handle:
                    token = handle.read()
                if crypto.is_current(token):
                    result.unchanged += 1
                    continue
                token = crypto.rotate(token)
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


def _delete(files) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            log.warning("An attachment file could not be deleted: %s", name)
