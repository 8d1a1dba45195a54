"""Files sent with a case: what is accepted, how it is checked, where and how it is kept.

Accepted: PDF, JPEG and PNG images, Word (DOCX) and Excel (XLSX) documents, MP3 and M4A
recordings. The type is read from the content with the `filetype` library, never trusted from the
name or the browser: an executable renamed ".pdf" is refused, and so is a PDF renamed ".exe" (the
name's extension must agree with the content, so whoever opens the file later gets what the name
says). Office files must be real ZIP packages of the right kind and carry no macros.

Limits (settings, in MB; defaults in brackets): one file VOICE_MAX_ATTACHMENT_MB (10), files of one
submission VOICE_MAX_ATTACHMENTS (5) and VOICE_MAX_SUBMISSION_MB (25) together. `max_request_bytes()`
is what a whole submission request may weigh; the portal refuses a bigger body before reading it.

Storage: under MEDIA_ROOT at voice/<case id>/<random token>, never under the sent name; the name is
kept (sanitised) for display. The SHA-256 of the original content is recorded; `read()` checks it.
Protected files (a denouncer's handwriting, identity papers) are stored encrypted with the
identity key (identity.encrypt_bytes). Files are never served from MEDIA_URL: a view that asks
the policy serves them through `read()`.

`store()` writes the file, then its row. When the caller's transaction rolls back afterwards, the
file stays on disk: call `discard()` on what was stored (the portal does). `protect()` encrypts in
place the files of a case whose sender's identity became protected (reclassified as a denunciation).
"""

import hashlib
import io
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import identity
from .models import Attachment, Case

MB = 1024 * 1024
HEAD_BYTES = 8192  # what filetype reads to recognise a type
REQUEST_OVERHEAD_BYTES = MB  # the form's text fields and the multipart framing around the files
NAME_MAX = 120

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class FileType:
    mime: str
    extensions: tuple[str, ...]  # the first is the one to suggest
    label: str
    package_part: str = ""  # for Office files: the part a real document of this kind holds


TYPES: dict[str, FileType] = {
    t.mime: t
    for t in (
        FileType("application/pdf", ("pdf",), "PDF"),
        FileType("image/jpeg", ("jpg", "jpeg"), "JPEG"),
        FileType("image/png", ("png",), "PNG"),
        FileType(DOCX, ("docx",), "Word (DOCX)", "word/document.xml"),
        FileType(XLSX, ("xlsx",), "Excel (XLSX)", "xl/workbook.xml"),
        FileType("audio/mpeg", ("mp3",), "MP3"),
        FileType("audio/mp4", ("m4a",), "M4A"),
    )
}
ACCEPT = ",".join(f".{ext}" for t in TYPES.values() for ext in t.extensions)  # for <input accept>


@dataclass(frozen=True)
class Checked:
    """A file that passed the checks: its clean name, detected type and size."""

    name: str
    mime: str
    size: int


def _mb(setting: str, default: float) -> int:
    return int(float(getattr(settings, setting, default)) * MB)


def max_file_bytes() -> int:
    return _mb("VOICE_MAX_ATTACHMENT_MB", 10)


def max_total_bytes() -> int:
    return _mb("VOICE_MAX_SUBMISSION_MB", 25)


def max_files() -> int:
    return int(getattr(settings, "VOICE_MAX_ATTACHMENTS", 5))


def max_request_bytes() -> int:
    return max_total_bytes() + REQUEST_OVERHEAD_BYTES


def _in_mb(size: int) -> str:
    value = round(size / MB, 2)
    return number_format(int(value) if value == int(value) else value, use_l10n=True)


def total_mb_text() -> str:
    return _in_mb(max_total_bytes())


def accepted_types_text() -> str:
    return _(
        "Accepted files: PDF, JPEG or PNG images, Word (DOCX) or Excel (XLSX) documents, MP3 or M4A "
        "recordings; at most %(count)s files, %(file_mb)s MB each, %(total_mb)s MB together."
    ) % {"count": max_files(), "file_mb": _in_mb(max_file_bytes()), "total_mb": _in_mb(max_total_bytes())}


_UNSAFE = re.compile(r"[^\w\s.()+,-]", re.UNICODE)
_SPACES = re.compile(r"\s+")


def sanitise_name(name: str) -> str:
    """A file name safe to show and to offer for download: no folders, control or shell characters.

    Vietnamese letters stay; anything else odd becomes "_"; the extension is kept when cutting.
    """
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _SPACES.sub(" ", _UNSAFE.sub("_", base)).strip(" .")
    if len(base) > NAME_MAX:
        stem, dot, ext = base.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            base = stem[: NAME_MAX - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            base = base[:NAME_MAX]
    return base or "tep-dinh-kem"


def _extension(name: str) -> str:
    suffix = PurePosixPath(name).suffix
    return suffix[1:].lower() if suffix else ""


def _office_problem(content: bytes, kind: FileType, name: str) -> str | None:
    """Why an Office file is not a real document of its kind, or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            parts = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        parts = set()
    if "[Content_Types].xml" not in parts or kind.package_part not in parts:
        return _("The file “%(name)s” is damaged or is not a real %(type)s document.") % {
            "name": name,
            "type": kind.label,
        }
    if any(part.lower().endswith("vbaproject.bin") for part in parts):
        return _(
            "The file “%(name)s” contains macros, which are not accepted: save it as an ordinary document "
            "and send it again."
        ) % {"name": name}
    return None


def _content(uploaded_file) -> bytes:
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    return data


def check(uploaded_file) -> Checked:
    """The checks on one file, without storing it. Raises ValidationError (in Vietnamese)."""
    name = sanitise_name(getattr(uploaded_file, "name", ""))
    size = getattr(uploaded_file, "size", None)
    if size is None:
        size = len(_content(uploaded_file))
    if size == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name}, code="empty")
    if size > max_file_bytes():
        raise ValidationError(
            _("The file “%(name)s” is larger than %(mb)s MB: send a smaller file.")
            % {"name": name, "mb": _in_mb(max_file_bytes())},
            code="too_big",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    uploaded_file.seek(0)
    guessed = filetype.guess(head)
    kind = TYPES.get(guessed.mime) if guessed is not None else None
    if kind is None:
        raise ValidationError(
            _("The content of the file “%(name)s” is not an accepted type.") % {"name": name}
            + " "
            + accepted_types_text(),
            code="type",
        )
    extension = _extension(name)
    if extension not in kind.extensions:
        raise ValidationError(
            _(
                "The file “%(name)s” holds a %(type)s document, but its name does not end in “.%(expected)s”: "
                "rename it and send it again."
            )
            % {"name": name, "type": kind.label, "expected": kind.extensions[0]},
            code="extension",
        )
    if kind.package_part:
        problem = _office_problem(_content(uploaded_file), kind, name)
        if problem:
            raise ValidationError(problem, code="type")
    return Checked(name=name, mime=kind.mime, size=size)


def check_all(files) -> list[Checked]:
    """The checks on every file of one submission, and on their number and total size.

    Raises one ValidationError listing every problem, so the sender can fix them all at once.
    """
    files = list(files)
    problems: list[str] = []
    if len(files) > max_files():
        problems.append(_("Send at most %(count)s files.") % {"count": max_files()})
    checked = []
    for uploaded_file in files:
        try:
            checked.append(check(uploaded_file))
        except ValidationError as error:
            problems.extend(error.messages)
    if sum(c.size for c in checked) > max_total_bytes():
        problems.append(
            _("The files together are larger than %(mb)s MB: send fewer or smaller files.")
            % {"mb": _in_mb(max_total_bytes())}
        )
    if problems:
        raise ValidationError(problems)
    return checked


def store(case: Case, uploaded_file, *, protected: bool = False) -> Attachment:
    """Check `uploaded_file` and keep it with `case`; protected content is encrypted first."""
    checked = check(uploaded_file)
    content = _content(uploaded_file)
    digest = hashlib.sha256(content).hexdigest()
    token = secrets.token_urlsafe(24)
    attachment = Attachment(
        case=case,
        token=token,
        name=checked.name,
        content_type=checked.mime,
        size=len(content),
        sha256=digest,
        protected=protected,
    )
    stored = identity.encrypt_bytes(content) if protected else content
    attachment.file.save(token, ContentFile(stored), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


class DamagedAttachment(ValueError):
    """The stored content no longer matches the SHA-256 recorded when it was received."""


def read(attachment: Attachment) -> bytes:
    """The original content (decrypted when protected), checked against its recorded SHA-256."""
    with attachment.file.open("rb") as handle:
        content = handle.read()
    if attachment.protected:
        content = identity.decrypt_bytes(content)
    if hashlib.sha256(content).hexdigest() != attachment.sha256:
        raise DamagedAttachment(f"attachment {attachment.pk} does not match its SHA-256")
    return content


def protect(case: Case) -> list[Attachment]:
    """Encrypt in place the files of `case` not yet protected: its sender's identity became protected.

    A complaint reclassified as a denunciation keeps the scans it came with; they carry the
    denouncer's handwriting, so they are protected like those of a denunciation from the start. Each
    file is written again encrypted (identity.encrypt_bytes) under a new name, then its row is
    pointed at the new file and marked protected, in the caller's transaction; the SHA-256 (of the
    original content, as `read()` checks it) and the size do not change. The plaintext copies are
    removed once the transaction commits. When writing fails, the encrypted copies already written
    are removed and the error goes up (the transaction rolls back; the rows keep their old files).
    Returns the attachments it protected.
    """
    done: list[Attachment] = []
    written: list = []  # (storage, name) of the encrypted copies, to remove if anything fails
    plain: list = []  # (storage, name) of the plaintext copies, to remove after the commit
    try:
        for attachment in case.attachments.select_for_update().filter(protected=False).order_by("id"):
            with attachment.file.open("rb") as handle:
                content = handle.read()
            old_name, storage = attachment.file.name, attachment.file.storage
            attachment.file.save(attachment.token, ContentFile(identity.encrypt_bytes(content)), save=False)
            written.append((storage, attachment.file.name))
            attachment.protected = True
            attachment.save(update_fields=["file", "protected"])
            plain.append((storage, old_name))
            done.append(attachment)
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise

    def remove_plaintext():
        for storage, name in plain:
            storage.delete(name)

    if plain:
        transaction.on_commit(remove_plaintext)
    return done


def discard(attachments) -> None:
    """Remove the files of attachments whose rows were rolled back (or are being deleted)."""
    for attachment in attachments:
        if attachment.file:
            attachment.file.storage.delete(attachment.file.name)
