"""The decision's file: a PDF checked by the uploads kit (type read from the content, scripts …); size
limit COMMENDATIONS_MAX_FILE_MB (20 by default)."""

from danvan.core import uploads

DECISION_KINDS = (uploads.PDF,)


def decision_rules() -> uploads.Rules:
    return uploads.Rules(
        DECISION_KINDS, max_file_bytes=uploads.setting_bytes("COMMENDATIONS_MAX_FILE_MB", 20)
    )
