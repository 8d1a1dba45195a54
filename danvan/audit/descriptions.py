"""How the log's readers put a record type and its values into words, as the owning app says.

The log keeps raw values (model labels, field names, codes). Readers name them from the model
itself (Meta.verbose_name, each field's verbose_name and choices, through the apps registry). What
the model cannot say, its app declares here in its AppConfig.ready():

- `name`: the record type's name, for a model that does not name itself;
- `choices`: the labels of coded values its services record under keys that are not fields of the
  model (a restructuring's `kind` in a unit's events, for instance).
"""

from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class Description:
    name: str | None = None  # usually a lazy translation
    choices: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> {value: label}


_descriptions: dict[str, Description] = {}  # by model label ("orgs.unit")


def describe(model: type[models.Model], *, name: str | None = None, choices: dict | None = None) -> None:
    """Say how the log names `model`'s records and the coded values under keys that are not its fields.

    `choices` maps a key to its choices, as a model field takes them (`Kind.choices`)."""
    _descriptions[model._meta.label_lower] = Description(
        name=name, choices={key: dict(pairs) for key, pairs in (choices or {}).items()}
    )


def description(label: str) -> Description:
    """What the owning app said of the model `label` (an empty description when it said nothing)."""
    return _descriptions.get(label, Description())
