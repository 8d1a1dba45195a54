"""The models of the voice app, gathered here so that Django registers them (app label `voice`).

Each sub-package owns its models: `deadlines` the rules and the calendar entries, `cases` the cases
and what their handling records, `identity` who sent them. Their tables and migrations are the
app's. Code imports a model from its sub-package, never from here.
"""

from .cases.models import (
    Attachment,
    BoxOpening,
    Case,
    CaseEvent,
    CaseFlag,
    CaseLink,
    CasePause,
    CaseSignature,
    Clock,
    Extension,
)
from .deadlines.models import CalendarDay, DeadlineRule
from .identity.models import CaseFingerprint, Identity, IdentityAccess

__all__ = [
    "Attachment",
    "BoxOpening",
    "CalendarDay",
    "Case",
    "CaseEvent",
    "CaseFingerprint",
    "CaseFlag",
    "CaseLink",
    "CasePause",
    "CaseSignature",
    "Clock",
    "DeadlineRule",
    "Extension",
    "Identity",
    "IdentityAccess",
]
