"""What the models' pages and services share that writes nothing: the evidence files accepted, the
default dates of a campaign."""

import datetime

from danvan.core import uploads

EVIDENCE_KINDS = (uploads.PDF, uploads.DOCX, uploads.XLSX, uploads.JPEG, uploads.PNG)


def evidence_rules() -> uploads.Rules:
    return uploads.Rules(EVIDENCE_KINDS, max_file_bytes=uploads.setting_bytes("EXEMPLARS_MAX_FILE_MB", 20))


def default_dates(year: int) -> tuple[datetime.date, datetime.date, datetime.date]:
    """Nominations until 31/8, review until 30/9, recognition by 15/10 (mid-October) of `year`."""
    return datetime.date(year, 8, 31), datetime.date(year, 9, 30), datetime.date(year, 10, 15)
