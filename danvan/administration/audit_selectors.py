"""Reads of the audit log for the browser, its exports and the API, always narrowed by `policy`.

An event belongs to the unit it was recorded against, by the unit's path at that moment.
Events without a unit (sign-ins, account changes, catalogue changes) are shown only to users
who may read the records of no unit in particular, i.e. administrators at a root.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from danvan.accounts import policy
from danvan.audit.models import AuditEvent
from danvan.orgs.models import Unit
from danvan.orgs.selectors import in_subtree


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
    # Compared as local dates in the database: no arithmetic that could overflow on 31/12/9999.
    if spec.date_from:
        qs = qs.filter(at__date__gte=spec.date_from)
    if spec.date_to:
        qs = qs.filter(at__date__lte=spec.date_to)
    return qs


def models_in_log() -> list[str]:
    """The model labels that occur in the log, for the filter's choices."""
    # order_by() drops the model's default ordering, which would otherwise defeat DISTINCT.
    labels = AuditEvent.objects.order_by().values_list("model", flat=True).distinct()
    return sorted(label for label in labels if label)
