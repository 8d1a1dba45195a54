"""The resolution's file, checked by the uploads kit (type read from the content, macros, scripts …):
a PDF or DOCX; size limit WORKPLACE_MAX_FILE_MB (20 by default)."""

from danvan.core import uploads

RESOLUTION_KINDS = (uploads.PDF, uploads.DOCX)


def resolution_rules() -> uploads.Rules:
    return uploads.Rules(RESOLUTION_KINDS, max_file_bytes=uploads.setting_bytes("WORKPLACE_MAX_FILE_MB", 20))
