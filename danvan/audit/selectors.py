"""Reads of the audit log for the browser and its exports, always narrowed by `policy`.

An event belongs to the unit it was recorded against, by the unit's path at that moment.
Events without a unit (sign-ins, account changes, catalogue changes) are shown only to users
who may read the records of no unit in particular, i.e. administrators at a root.
"""

import datetime
import json
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from danvan.accounts import policy
from danvan.accounts.models import Role
from danvan.orgs.models import Unit
from danvan.orgs.selectors import in_subtree

from .models import AuditEvent


def events_visible_to(*, user) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    in_units = policy.scope(user, policy.Perm.AUDIT_VIEW, qs, field="unit_path")
    if policy.scope_paths(user, policy.Perm.AUDIT_VIEW) is None:
        return in_units  # everything
    if policy.can(user, policy.Perm.AUDIT_VIEW, None):
        return in_units | qs.filter(unit_path="")
    return in_units  # unit-less events have an empty path, outside every subtree


@dataclass(frozen=True)
class EventFilter:
    action: str = ""
    model: str = ""
    actor: str = ""
    unit: Unit | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def events_filter(qs: QuerySet[AuditEvent], *, spec: EventFilter) -> QuerySet[AuditEvent]:
    """`qs` narrowed by `spec`; the unit filter takes the unit's whole (current) subtree."""
    if spec.action:
        qs = qs.filter(action=spec.action)
    if spec.model:
        qs = qs.filter(model=spec.model)
    if spec.actor:
        qs = qs.filter(actor_label__iexact=spec.actor)
    if spec.unit is not None:
        qs = in_subtree(qs, spec.unit.path, field="unit_path")
    if spec.date_from:
        qs = qs.filter(at__gte=_day_start(spec.date_from))
    if spec.date_to:
        qs = qs.filter(at__lt=_day_start(spec.date_to + datetime.timedelta(days=1)))
    return qs


def models_in_log() -> list[str]:
    """The model labels that occur in the log, for the filter's choices."""
    return sorted(label for label in AuditEvent.objects.values_list("model", flat=True).distinct() if label)


@dataclass(frozen=True)
class ChangeRow:
    field: str
    before: str
    after: str
    changed: bool  # False: a fact about the event (e.g. which user), not a before/after pair


def _shown(field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if field == "role" and value in Role.values:
        return str(Role(value).label)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def change_rows(event: AuditEvent) -> list[ChangeRow]:
    """The event's changes as readable rows: "field: before → after" or "field: value"."""
    changes = event.changes if isinstance(event.changes, dict) else {"": event.changes}
    rows = []
    for field, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            rows.append(ChangeRow(field, _shown(field, value[0]), _shown(field, value[1]), True))
        else:
            rows.append(ChangeRow(field, "", _shown(field, value), False))
    return rows
