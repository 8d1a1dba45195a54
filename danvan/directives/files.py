"""The files of the register, checked by the uploads kit (type by content, macros, scripts …): the original
of an imported document and the usual annexes; size limit DIRECTIVES_MAX_FILE_MB (20 by default)."""

from danvan.core import uploads

IMPORT_KINDS = (uploads.TXT, uploads.DOCX, uploads.PDF)
ATTACHMENT_KINDS = (uploads.PDF, uploads.DOCX, uploads.XLSX, uploads.TXT, uploads.JPEG, uploads.PNG)


def max_file_bytes() -> int:
    return uploads.setting_bytes("DIRECTIVES_MAX_FILE_MB", 20)


def import_rules() -> uploads.Rules:
    return uploads.Rules(IMPORT_KINDS, max_file_bytes=max_file_bytes())


def attachment_rules() -> uploads.Rules:
    return uploads.Rules(ATTACHMENT_KINDS, max_file_bytes=max_file_bytes())
