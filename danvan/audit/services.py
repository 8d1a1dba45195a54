"""Writing the audit log. Owns AuditEvent rows: nothing else creates them.

Domain models are recorded automatically once registered with `register()` (create, change,
delete through the ORM's signals, before and after values of every field except the
excluded ones). Services that write in bulk record their own events with `record()`.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from danvan.core import bulk

from .changes import diff, snapshot
from .context import Actor, current_actor
from .models import AuditEvent

Action = AuditEvent.Action


@dataclass
class _Registration:
    unit: Callable[[Any], models.Model | None]
    exclude: set[str] = field(default_factory=set)


_registry: dict[type[models.Model], _Registration] = {}


def _unit_values(unit: models.Model | None) -> dict[str, Any]:
    if unit is None:
        return {}
    return {
        "unit_id": unit.pk,
        "unit_code": getattr(unit, "code", ""),
        "unit_path": getattr(unit, "path", ""),
    }


def record(
    *,
    action: str,
    instance: models.Model | None = None,
    model: str = "",
    object_id: str = "",
    object_repr: str = "",
    unit: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    actor: Actor | None = None,
) -> AuditEvent:
    """Append one event. `unit` is the unit the record belongs to (used to scope who may read it)."""
    event = AuditEvent(
        **_values(
            action=action,
            instance=instance,
            model=model,
            object_id=object_id,
            object_repr=object_repr,
            unit=unit,
            changes=changes,
            actor=actor or current_actor(),
        )
    )
    event.save(force_insert=True)
    return event


def _values(
    *,
    action: str,
    instance: models.Model | None,
    model: str,
    object_id: str,
    object_repr: str,
    unit: models.Model | None,
    changes: dict[str, Any] | None,
    actor: Actor,
) -> dict[str, Any]:
    """The field values of the event `record` appends."""
    if instance is not None:
        model = model or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
        object_repr = object_repr or str(instance)[:300]
    return {
        "action": action,
        "actor_id": actor.id,
        "actor_label": actor.label[:150],
        "ip_address": actor.ip_address,
        "source": actor.source[:60],
        "model": model,
        "object_id": object_id,
        "object_repr": object_repr[:300],
        "changes": changes or {},
        "unit_id": None,
        "unit_code": "",
        "unit_path": "",
        **_unit_values(unit),
    }


@dataclass
class Pending:
    """An event for `record_many`: the arguments `record` takes (`created=True`: what `record_created`
    writes for `instance`)."""

    action: str = ""
    instance: models.Model | None = None
    unit: models.Model | None = None
    changes: dict[str, Any] | None = None
    created: bool = False


def record_many(*, events: Iterable[Pending], batch_size: int = 2000) -> int:
    """Append many events in a few statements (a bulk import): the same rows, in the same order, as
    calling `record` (or `record_created`) for each in turn, as the current actor. Returns how many."""
    actor = current_actor()
    columns = [
        *_values(
            action="",
            instance=None,
            model="",
            object_id="",
            object_repr="",
            unit=None,
            changes=None,
            actor=actor,
        ),
        "at",
    ]
    changes_field = AuditEvent._meta.get_field("changes")
    at = AuditEvent._meta.get_field("at").get_db_prep_save(timezone.now(), connection)

    def rows() -> Iterator[list[Any]]:
        for pending in events:
            values = _pending_values(pending, actor)
            values["changes"] = changes_field.get_db_prep_save(values["changes"], connection)
            values["at"] = at
            yield [values[column] for column in columns]

    return bulk.insert_values(AuditEvent, columns, rows(), batch_size=batch_size)


def _pending_values(pending: Pending, actor: Actor) -> dict[str, Any]:
    if pending.created:
        assert pending.instance is not None
        reg = _registry[type(pending.instance)]
        pending = Pending(
            action=Action.CREATE,
            instance=pending.instance,
            unit=reg.unit(pending.instance),
            changes=diff({}, snapshot(pending.instance, reg.exclude)),
        )
    return _values(
        action=pending.action,
        instance=pending.instance,
        model="",
        object_id="",
        object_repr="",
        unit=pending.unit,
        changes=pending.changes,
        actor=actor,
    )


def register(
    *, model: type[models.Model], unit: Callable[[Any], models.Model | None], exclude: Iterable[str] = ()
) -> None:
    """Record every create, change and delete of `model`; `unit(instance)` names its unit.

    `exclude` lists fields whose values must never reach the log (secrets, protected identities).
    """
    _registry[model] = _Registration(unit=unit, exclude=set(exclude))
    uid = f"audit-{model._meta.label_lower}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=uid + "-pre", weak=False)
    post_save.connect(_after_save, sender=model, dispatch_uid=uid + "-post", weak=False)
    post_delete.connect(_after_delete, sender=model, dispatch_uid=uid + "-delete", weak=False)


def _before_save(sender: type[models.Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        instance._audit_before = None
        return
    reg = _registry[sender]
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old, reg.exclude) if old is not None else None


def _after_save(
    sender: type[models.Model], instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    reg = _registry[sender]
    if getattr(instance, "_audit_deferred", False):
        return  # the owning service records this write itself, once the record is complete
    after = snapshot(instance, reg.exclude)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        record(action=Action.CREATE, instance=instance, unit=reg.unit(instance), changes=diff({}, after))
        return
    changes = diff(before, after)
    if changes:
        record(action=Action.UPDATE, instance=instance, unit=reg.unit(instance), changes=changes)


def record_created(*, instance: models.Model) -> AuditEvent:
    """Record the creation of a registered record whose signal-time write was deferred."""
    reg = _registry[type(instance)]
    return record(
        action=Action.CREATE,
        instance=instance,
        unit=reg.unit(instance),
        changes=diff({}, snapshot(instance, reg.exclude)),
    )


def _after_delete(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    reg = _registry[sender]
    before = snapshot(instance, reg.exclude)
    record(action=Action.DELETE, instance=instance, unit=reg.unit(instance), changes=diff(before, {}))
