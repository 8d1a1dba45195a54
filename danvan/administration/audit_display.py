"""The audit log in words, for the browser and its exports.

The log keeps raw values (codes, ISO dates, field names) so that it stays exact and machine
readable (the API returns them as they are). Here they are shown in words, from what the models say
of themselves (verbose names and field choices, through the apps registry) and what their apps
declared with `audit.descriptions.describe`: this module knows no other app's models.
"""

import datetime
import re
from dataclasses import dataclass

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.audit.descriptions import action_name, description
from danvan.audit.models import AuditEvent
from danvan.core.dates import day_text, moment_text

# The row id, internal keys of the tree and of the document register, a file's checksum.
HIDDEN_FIELDS = frozenset(
    {"id", "path", "search_name", "sort_name", "depth", "issuer_key", "symbol_key", "original_sha256"}
)

# Names of the keys that are not a field of the event's model, or whose field has no name of its own.
FIELD_LABELS = {
    "kind": _("Kind of change"),
    "effective_on": _("Effective date"),
    "created_at": _("Created at"),
    "updated_at": _("Updated at"),
    "order": _("Order"),
    "year": _("Year"),
    "number": _("Number"),
    "identity_protected": _("Identity protected"),
    "file_name": _("File name"),
    "file_size": _("File size"),
    "file_type": _("File type"),
    "original_name": _("Original file"),
    "original_type": _("Original file type"),
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
    "reason": _("Reason"),
    "values": _("Values"),
    "status": _("Status"),
    "day": _("Day"),
    "email": _("E-mail"),
    "items": _("Items"),
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
    """The name of a kind of record ("orgs.unit" -> "Đơn vị"): the model's own name, else the one its
    app declared; the label itself if it has neither."""
    model = _model(label) if label else None
    if model is not None and "verbose_name" in model._meta.original_attrs:
        return str(capfirst(model._meta.verbose_name))
    return str(description(label).name or label)


def action_label(event: AuditEvent) -> str:
    """What was done, in words: the name the recording app gave its action ("Duyệt báo cáo"), else the
    log's own ("Tạo mới")."""
    return str(action_name(event.action) or event.get_action_display())


def sentence(event: AuditEvent) -> str:
    """The event as a sentence: "Duyệt báo cáo Đảng ủy Sở Tư pháp – 6 tháng đầu năm 2026"."""
    label = action_label(event)
    return f"{label} {event.object_repr}" if event.object_repr else label


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
    if field is not None and field.is_relation and field.related_model is not None:
        return record_type(field.related_model._meta.label_lower)  # "case_id" -> "Vụ việc"
    return key


def _date_or_time(value: str) -> str | None:
    """`value` as dd/mm/yyyy (a date) or H:i dd/mm/yyyy in local time (a moment); None if neither."""
    try:
        if _ISO_DATE.fullmatch(value):
            return day_text(datetime.date.fromisoformat(value))
        if _ISO_DATETIME.fullmatch(value):
            return moment_text(datetime.datetime.fromisoformat(value))
    except ValueError:
        return None
    return None


@dataclass(frozen=True)
class ChangeRow:
    field: str
    before: str
    after: str
    changed: bool  # False: a fact about the event (e.g. which user), not a before/after pair


def _value_labels(model_label: str, key: str) -> dict:
    """The labels of the coded values stored under `key`: the model field's choices, else those its
    app declared for that key."""
    field = _field(_model(model_label) if model_label else None, key)
    if field is not None and field.choices:
        return dict(field.flatchoices)
    return description(model_label).choices.get(key, {})


def _shown(model_label: str, field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return ", ".join(_shown(model_label, field, item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_shown(model_label, key, item)}" for key, item in value.items()) or "—"
    label = _value_labels(model_label, field).get(value) if isinstance(value, str) else None
    if label is not None:
        return str(label)
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
            rows.append(
                ChangeRow(label, _shown(event.model, key, value[0]), _shown(event.model, key, value[1]), True)
            )
        else:
            rows.append(ChangeRow(label, "", _shown(event.model, key, value), False))
    return rows
