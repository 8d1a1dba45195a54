"""Reads of the audit log for the browser and its exports, always narrowed by `policy`.

An event belongs to the unit it was recorded against, by the unit's path at that moment.
Events without a unit (sign-ins, account changes, catalogue changes) are shown only to users
who may read the records of no unit in particular, i.e. administrators at a root.
"""

import datetime
import re
from dataclasses import dataclass

from django.apps import apps
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.accounts import policy
from danvan.accounts.models import Role
from danvan.orgs.models import RestructuringEvent, Unit
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


# --- showing events to people ------------------------------------------------------------------
#
# The log keeps raw values (codes, ISO dates, field names) so that it stays exact and machine
# readable (the API returns them as they are). The browser and its exports show them in words.

HIDDEN_FIELDS = frozenset({"path", "search_name", "sort_name", "depth"})  # internal keys of the tree

# Record types by model label, for models that do not name themselves (Meta.verbose_name).
RECORD_TYPES = {
    "orgs.unit": _("Unit"),
    "orgs.unittype": _("Unit type"),
    "orgs.unitgroup": _("Unit group"),
    "orgs.mobilisationlead": _("Mobilisation lead"),
    "orgs.unitimport": _("Unit import"),
    "accounts.roleassignment": _("Role assignment"),
    "audit.auditevent": _("Audit log"),
}

# Names of the keys that are not a field of the event's model, or whose field has no name of its own.
FIELD_LABELS = {
    "kind": _("Kind of change"),
    "effective_on": _("Effective date"),
    "created_at": _("Created at"),
    "parent": _("Parent unit"),
    "parent_id": _("Parent unit"),
    "unit_type": _("Type"),
    "groups": _("Groups"),
    "predecessors": _("Predecessors"),
    "successors": _("Successors"),
    "successor": _("Successor"),
    "split_from": _("Split from"),
    "by_merge": _("Created by a merge"),
    "children_moved": _("Units moved"),
    "versions_touched": _("Versions changed"),
    "user": _("User"),
    "role": _("Role"),
    "unit": _("Unit"),
    "unit_id": _("Unit"),
    "rows": _("Rows"),
    "dry_run": _("Dry run"),
    "units_in_file": _("Units in the file"),
    "units": _("Units created"),
    "changes": _("Renamed or regrouped"),
    "moves": _("Moves"),
    "dissolutions": _("Dissolutions"),
    "links": _("Predecessor links"),
    "format": _("Format"),
    "filter": _("Filter"),
    "as_of": _("As of"),
    "language": _("Language"),
}

LIST_FIELDS = frozenset({"predecessors", "successors"})  # lists of codes, never [before, after]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def record_type(label: str) -> str:
    """The name of a kind of record ("orgs.unit" -> "Đơn vị"); the label itself if it has none."""
    model = _model(label) if label else None
    if model is not None and "verbose_name" in model._meta.original_attrs:
        return str(capfirst(model._meta.verbose_name))
    return str(RECORD_TYPES.get(label, label))


def _field(model, key: str):
    """The model's field stored under `key` (its name or, for a foreign key, its column)."""
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if key in (field.name, field.attname):
            return field
    return None


def field_label(model_label: str, key: str) -> str:
    """The name of a key of an event's changes: the model field's own name when it was given
    one, else a known key's name, else the key itself."""
    field = _field(_model(model_label) if model_label else None, key)
    if field is not None and field._verbose_name is not None:  # a name given in the model
        return capfirst(field.verbose_name)
    if key in FIELD_LABELS:
        return str(FIELD_LABELS[key])
    return key


def _date_or_time(value: str) -> str | None:
    """`value` as dd/mm/yyyy (a date) or H:i dd/mm/yyyy in local time (a moment); None if neither."""
    try:
        if _ISO_DATE.fullmatch(value):
            return formats.date_format(datetime.date.fromisoformat(value), "d/m/Y")
        if _ISO_DATETIME.fullmatch(value):
            moment = datetime.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "H:i d/m/Y")
    except ValueError:
        return None
    return None


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
    if field == "kind" and value in RestructuringEvent.Kind.values:
        return str(RestructuringEvent.Kind(value).label)
    if isinstance(value, list):
        return ", ".join(_shown(field, item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_shown(key, item)}" for key, item in value.items()) or "—"
    if isinstance(value, str):
        return _date_or_time(value) or value
    return str(value)


def change_rows(event: AuditEvent) -> list[ChangeRow]:
    """The event's changes as readable rows: "field: before → after" or "field: value".

    Fields are named in words, internal keys of the tree are left out, dates are dd/mm/yyyy.
    """
    changes = event.changes if isinstance(event.changes, dict) else {"": event.changes}
    rows = []
    for key, value in changes.items():
        if key in HIDDEN_FIELDS:
            continue
        label = field_label(event.model, key) if key else ""
        if isinstance(value, list) and len(value) == 2 and key not in LIST_FIELDS:
            rows.append(ChangeRow(label, _shown(key, value[0]), _shown(key, value[1]), True))
        else:
            rows.append(ChangeRow(label, "", _shown(key, value), False))
    return rows
