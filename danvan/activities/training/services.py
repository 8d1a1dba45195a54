"""Writes of the training register: each function one transaction, validated before anything is saved.

A class is recorded, changed and deleted with ACTIVITY_RECORD at its unit (at the old and the new unit
when it moves). Every write refreshes the report figures of the prepared periods it touches (the old
and the new unit and first day) in the same transaction (`sources.refresh`).
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor
from danvan.accounts.policy import Perm
from danvan.activities.registers import Line, Row, file_units, refuse_unless_any, row_day, row_unit
from danvan.core.dates import day_text
from danvan.core.tables import cell_text, number_text, whole_number
from danvan.core.text import check_text, clean_text
from danvan.orgs.models import Unit

from . import sources
from .indexing import SEARCHED
from .models import Participant, TrainingClass
from .specs import AttendeeSpec, ClassSpec

PARTICIPANTS_MAX = 100_000
ATTENDEES_MAX = 2_000
EARLIEST = datetime.date(1945, 1, 1)


def _check_day(
    day: datetime.date | None, field: str, errors: dict[str, Any], today: datetime.date, label: str
) -> None:
    if day is None:
        return
    if day > today:
        errors[field] = _("%(label)s %(day)s is in the future.") % {"label": label, "day": day_text(day)}
    elif day < EARLIEST:
        errors[field] = _("%(label)s %(day)s is too early.") % {"label": label, "day": day_text(day)}


def _check_count(value: Any, errors: dict[str, Any]) -> int | None:
    """The participants count: a whole number from 0 to PARTICIPANTS_MAX."""
    if value is None or value == "":
        errors["participants"] = _("Give the number of participants (0 if nobody attended).")
        return None
    value = whole_number(value, grouped=False)
    if value is None:
        errors["participants"] = _("The number of participants must be a whole number, 0 or more.")
        return None
    if value > PARTICIPANTS_MAX:
        errors["participants"] = _("The number of participants can be at most %(max)s.") % {
            "max": f"{PARTICIPANTS_MAX:,}".replace(",", ".")
        }
        return None
    return value


def _attendees(spec: ClassSpec, errors: dict[str, Any]) -> list[AttendeeSpec] | None:
    if spec.attendees is None:
        return None
    if len(spec.attendees) > ATTENDEES_MAX:
        errors["attendees"] = _("The list can name at most %(max)s participants.") % {"max": ATTENDEES_MAX}
        return None
    cleaned, problems = [], []
    for number, item in enumerate(spec.attendees, start=1):
        try:
            name = check_text(item.name, limit=255, required=_("the name is missing"))
            position = check_text(item.position, limit=255)
            unit_name = check_text(item.unit_name, limit=255)
        except ValidationError as error:
            problems.append(
                _("Participant %(number)s: %(message)s") % {"number": number, "message": error.messages[0]}
            )
            continue
        cleaned.append(AttendeeSpec(name=name, position=position, unit_name=unit_name))
    if problems:
        errors["attendees"] = problems
        return None
    return cleaned


def _validated(
    spec: ClassSpec, *, current: TrainingClass | None
) -> tuple[dict[str, Any], list[AttendeeSpec] | None]:
    """The class's fields as saved, and its new list (None: keep the list); ValidationError otherwise."""
    errors: dict[str, Any] = {}
    today = timezone.localdate()
    if not isinstance(spec.unit, Unit):
        errors["unit"] = _("Choose the unit that organised the class.")
    title = clean_text(spec.title, "title", errors, limit=300, required=_("Give the class's title."))
    topic = clean_text(spec.topic, "topic", errors, limit=500)
    organiser = clean_text(spec.organiser, "organiser", errors, limit=255)
    place = clean_text(spec.place, "place", errors, limit=255)
    notes = clean_text(spec.notes, "notes", errors, limit=5000, multiline=True)
    if spec.held_on is None:
        errors["held_on"] = _("Give the class's first day.")
    _check_day(spec.held_on, "held_on", errors, today, _("The first day"))
    _check_day(spec.ended_on, "ended_on", errors, today, _("The last day"))
    if spec.held_on and spec.ended_on and spec.ended_on < spec.held_on and "ended_on" not in errors:
        errors["ended_on"] = _("The last day (%(end)s) is before the first day (%(start)s).") % {
            "end": day_text(spec.ended_on),
            "start": day_text(spec.held_on),
        }
    count = _check_count(spec.participants, errors)
    attendees = _attendees(spec, errors)
    listed = len(attendees) if attendees is not None else (current.attendees.count() if current else 0)
    if count is not None and listed > count and "attendees" not in errors:
        errors["participants"] = _(
            "The list names %(listed)s participants but the class has %(count)s: the number of "
            "participants must be at least the length of the list."
        ) % {"listed": listed, "count": count}
    if errors:
        raise ValidationError(errors)
    fields = {
        "unit": spec.unit,
        "title": title,
        "topic": topic,
        "organiser": organiser,
        "held_on": spec.held_on,
        "ended_on": spec.ended_on,
        "place": place,
        "participants": count,
        "notes": notes,
    }
    return fields, attendees


def _write_attendees(training_class: TrainingClass, attendees: list[AttendeeSpec] | None) -> None:
    if attendees is None:
        return
    training_class.attendees.all().delete()
    for order, item in enumerate(attendees, start=1):
        Participant.objects.create(
            training_class=training_class,
            order=order,
            name=item.name,
            position=item.position,
            unit_name=item.unit_name,
        )


def class_save(*, spec: ClassSpec, training_class: TrainingClass | None = None, by: Actor) -> TrainingClass:
    """Record a class (or change `training_class`): ACTIVITY_RECORD at its unit (and at the old unit)."""
    if training_class is not None:
        policy.require(by, Perm.ACTIVITY_RECORD, training_class.unit)
    if isinstance(spec.unit, Unit):
        policy.require(by, Perm.ACTIVITY_RECORD, spec.unit)
    else:
        refuse_unless_any(by)
    with transaction.atomic():
        current = None
        if training_class is not None:
            current = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
        fields, attendees = _validated(spec, current=current)
        touched_units, touched_days = {fields["unit"].pk}, {fields["held_on"]}
        if current is None:
            current = TrainingClass.objects.create(**fields)
        else:
            touched_units.add(current.unit_id)
            touched_days.add(current.held_on)
            for name, value in fields.items():
                setattr(current, name, value)
            current.save()
        _write_attendees(current, attendees)
        sources.refresh(touched_units, touched_days)
        SEARCHED.put(current)
    return current


def class_delete(*, training_class: TrainingClass, by: Actor) -> None:
    """Delete a class and its list (ACTIVITY_RECORD at its unit); its figures follow."""
    policy.require(by, Perm.ACTIVITY_RECORD, training_class.unit)
    with transaction.atomic():
        current = TrainingClass.objects.select_for_update().filter(pk=training_class.pk).first()
        if current is None:
            return
        unit_id, day = current.unit_id, current.held_on
        SEARCHED.drop(current.pk)
        current.delete()
        sources.refresh({unit_id}, {day})


# ---------------------------------------------------------------- import


def _row_count(value: Any) -> int:
    """A participants cell: a whole number (12, "12", "1.234" with the thousands' dot)."""
    text = number_text(value)
    errors: dict[str, Any] = {}
    count = _check_count(text, errors)
    if count is None:
        raise ValidationError(errors["participants"])
    return count


def classes_import(*, rows: list[Row], by: Actor) -> int:
    """Record the classes of an import file (columns unit_code, title, held_on, participants, and
    optionally topic, organiser, ended_on, place, notes): every row checked, all saved or none.

    Raises ValidationError({line: [messages]}) naming every bad row; returns how many were saved."""
    refuse_unless_any(by)
    units = file_units(rows)
    today = timezone.localdate()
    errors: dict[int, list[str]] = {}
    saved: list[dict[str, Any]] = []
    for row in rows:
        line = Line()
        cells = row.cells
        unit = line.take("unit", row_unit, cells.get("unit_code"), by=by, units=units)
        held_on = line.take("held_on", row_day, cells.get("held_on"), label=_("The first day"), today=today)
        ended_on = line.take(
            "ended_on",
            row_day,
            cells.get("ended_on"),
            label=_("The last day"),
            required=False,
            today=today,
        )
        count = line.take("participants", _row_count, cells.get("participants"))
        spec = ClassSpec(
            unit=unit,
            title=cell_text(cells.get("title")),
            held_on=held_on,
            participants=count,
            topic=cell_text(cells.get("topic")),
            organiser=cell_text(cells.get("organiser")),
            ended_on=ended_on,
            place=cell_text(cells.get("place")),
            notes=cell_text(cells.get("notes")),
        )
        try:
            fields, _attendees = _validated(spec, current=None)
        except ValidationError as error:
            line.service(error.message_dict)
        if line.problems:
            errors[row.line] = line.problems
        else:
            saved.append(fields)
    if errors:
        raise ValidationError(errors)  # type: ignore[arg-type]
    with transaction.atomic():
        SEARCHED.put_many([TrainingClass.objects.create(**fields) for fields in saved])
        sources.refresh({fields["unit"].pk for fields in saved}, {fields["held_on"] for fields in saved})
    return len(saved)
