"""An export as the audit log knows it: the workbook as a download, recorded as an EXPORT (who took
which list, with which filter, how many rows). Pages call `xlsx_export`; the workbook itself is written
by `core.tables`.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models
from django.http.response import HttpResponseBase

from danvan.core import tables

from .models import AuditEvent
from .services import record


def xlsx_export(
    *,
    sheets: Sequence[tables.Sheet],
    filename: str,
    model: str,
    what: str,
    unit: models.Model | None = None,
    changes: Mapping[str, Any],
) -> HttpResponseBase:
    """The workbook of `sheets` as a download named `filename`, recorded in the audit log: an EXPORT of
    `model` (its label, e.g. "cells.meeting") named `what`, at `unit`, with the format and `changes`
    (the filter, the number of rows)."""
    response = tables.xlsx_response(tables.workbook(list(sheets)), filename=filename)
    record(
        action=AuditEvent.Action.EXPORT,
        model=model,
        object_repr=what,
        unit=unit,
        changes={"format": "xlsx", **changes},
    )
    return response
