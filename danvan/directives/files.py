"""Files of the register: the original of an imported document (.txt, .docx, .pdf) and attachments.

The type is read from the content (`filetype`), never trusted from the name: a .docx must be a real
Word package without macros, a .pdf must start as a PDF, a .txt must hold text (no binary content).
The name's extension must agree with the content. Size limit: DIRECTIVES_MAX_FILE_MB (20 by default).
Files are stored under a random name and served only by views that ask the policy.
"""

import io
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from danvan.voice.attachments import sanitise_name

from .services import Upload

MB = 1024 * 1024
HEAD_BYTES = 8192
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "text/plain"
PDF = "application/pdf"

IMPORT_TYPES = {TEXT: ("txt",), DOCX: ("docx",), PDF: ("pdf",)}
IMPORT_ACCEPT = ".txt,.docx,.pdf"
# Attachments of a registered document: the usual annexes (lists, tables, scans, photos).
ATTACHMENT_TYPES = {
    PDF: ("pdf",),
    DOCX: ("docx",),
    XLSX: ("xlsx",),
    TEXT: ("txt",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
}
ATTACHMENT_ACCEPT = ".pdf,.docx,.xlsx,.txt,.jpg,.jpeg,.png"
_PACKAGE_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}


def max_file_bytes() -> int:
    return int(float(getattr(settings, "DIRECTIVES_MAX_FILE_MB", 20)) * MB)


def _looks_like_text(content: bytes) -> bool:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-16 with its byte order mark
    if b"\x00" in content[:HEAD_BYTES]:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def check(uploaded_file, types: dict[str, tuple[str, ...]] = IMPORT_TYPES) -> Upload:
    """The checked file as an Upload, or a ValidationError in Vietnamese."""
    name = sanitise_name(getattr(uploaded_file, "name", ""))
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_file_bytes():
        raise ValidationError(
            _("The file “%(name)s” is larger than %(mb)s MB: send a smaller file.")
            % {"name": name, "mb": max_file_bytes() // MB},
            code="too_big",
        )
    uploaded_file.seek(0)
    content = uploaded_file.read(max_file_bytes() + 1)
    if not content:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name}, code="empty")
    if len(content) > max_file_bytes():
        raise ValidationError(
            _("The file “%(name)s” is larger than %(mb)s MB: send a smaller file.")
            % {"name": name, "mb": max_file_bytes() // MB},
            code="too_big",
        )
    guessed = filetype.guess(content[:HEAD_BYTES])
    mime = guessed.mime if guessed is not None else (TEXT if _looks_like_text(content) else "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if mime not in types:
        raise ValidationError(
            _("The content of the file “%(name)s” is not an accepted type (%(types)s).")
            % {"name": name, "types": ", ".join(f".{ext}" for exts in types.values() for ext in exts)},
            code="type",
        )
    if extension not in types[mime]:
        raise ValidationError(
            _("The content of the file “%(name)s” does not match its name: it should end in “.%(expected)s”.")
            % {"name": name, "expected": types[mime][0]},
            code="extension",
        )
    if mime in _PACKAGE_PART:
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as package:
                parts = set(package.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            parts = set()
        if _PACKAGE_PART[mime] not in parts:
            raise ValidationError(
                _("The file “%(name)s” is damaged or is not a real Word or Excel document.") % {"name": name},
                code="type",
            )
        if any(part.lower().endswith("vbaproject.bin") for part in parts):
            raise ValidationError(
                _("The file “%(name)s” contains macros, which are not accepted.") % {"name": name},
                code="type",
            )
    return Upload(name=name, content_type=mime, content=content)
