"""How the log's readers put a record type and its values into words, as the owning app says.

The log keeps raw values (model labels, field names, codes). Readers name them from the model
itself (Meta.verbose_name, each field's verbose_name and choices, through the apps registry). What
the model cannot say, its app declares here in its AppConfig.ready():

- `name`: the record type's name, for a model that does not name itself;
- `choices`: the labels of coded values its services record under keys that are not fields of the
  model (a restructuring's `kind` in a unit's events, for instance);
- `actions`: the names of the actions its services record beyond create/change/delete
  ("report.approve" -> "Duyệt báo cáo").
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Description:
    name: str | None = None  # usually a lazy translation
    choices: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> {value: label}
    actions: dict[str, Any] = field(default_factory=dict)  # action -> its name, as a verb phrase


_actions: dict[
    str, Any
] = {}  # lazy translations  # every action declared, whatever the model it was recorded on


_descriptions: dict[str, Description] = {}  # by model label ("orgs.unit")


def describe(
    model: type[models.Model],
    *,
    name: str | None = None,
    choices: dict | None = None,
    actions: dict[str, Any] | None = None,
) -> None:
    """Say how the log names `model`'s records, the coded values under keys that are not its fields
    and the actions its app records.

    `choices` maps a key to its choices, as a model field takes them (`Kind.choices`)."""
    _descriptions[model._meta.label_lower] = Description(
        name=name,
        choices={key: dict(pairs) for key, pairs in (choices or {}).items()},
        actions=dict(actions or {}),
    )
    _actions.update(actions or {})


def description(label: str) -> Description:
    """What the owning app said of the model `label` (an empty description when it said nothing)."""
    return _descriptions.get(label, Description())


def action_name(action: str) -> Any:
    """The name an app gave to one of its actions ("report.approve"), None if none did."""
    return _actions.get(action)


def name_action(action: str, name: Any) -> None:
    """Name an action recorded on another app's records (a reminder e-mail is recorded on its user)."""
    _actions[action] = name
