"""Checks on uploaded files, shared by the forms, the API serializers and the services."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REGULATION_MAX_BYTES = 10 * 1024 * 1024
# Extension -> the first bytes of such a file (a DOCX is a ZIP package).
REGULATION_SIGNATURES = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04"}


def validate_regulation_file(file) -> None:
    """A coordination regulation document: PDF or DOCX by its name AND its first bytes, at most 10 MB.

    `file` is an uploaded file (or any django File); its position is left at the start.
    """
    if file.size is not None and file.size > REGULATION_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="file_too_large")
    signature = REGULATION_SIGNATURES.get(PurePath(file.name or "").suffix.lower())
    head = b""
    if signature is not None:
        file.seek(0)
        head = file.read(len(signature))
        file.seek(0)
    if signature is None or head != signature:
        raise ValidationError(_("Only PDF or DOCX files are accepted."), code="file_type")
