"""The default classification thresholds (Quy định 366-QĐ/TW ngày 30/8/2025, Điều 11): excellent from 90,
good from 70, completed from 50 points, valid from 01/01/2025; no share cap nor criterion floor (not verified
in the text). Written by the data migration and by `danvan demo` (a database flushed by a test, or loaded
from a dump without it, gets them back); a version an administrator changed is never overwritten."""

import datetime
from decimal import Decimal

VALID_FROM = datetime.date(2025, 1, 1)
LAW = "Quy định 366-QĐ/TW (2025), Điều 11"
DEFAULTS = {
    "outstanding_min": Decimal(90),
    "good_min": Decimal(70),
    "passed_min": Decimal(50),
    "citation": LAW,
}


def ensure_thresholds(model) -> None:
    """Create the default version when none is valid from its date (`model`: the Thresholds model, the
    historical one in a migration)."""
    model.objects.get_or_create(valid_from=VALID_FROM, defaults=dict(DEFAULTS))
