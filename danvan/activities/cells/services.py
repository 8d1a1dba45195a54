"""Writes of the thematic cell meetings: record, change, delete, import.

Every function checks ACTIVITY_RECORD at the meeting's cell for `by` first (PermissionDenied), then
the input (ValidationError with Vietnamese messages, per field), then saves in one transaction that
also recomputes the report figures of the prepared periods the meeting touches ("cells.*" sources,
`sources.refresh`): a figure never lags behind the register, and nothing is half-saved.

The unit must be a party cell (type "cell") on the day the meeting was held; the day is not in the
future; attendees (and members expected, when given) are whole numbers from 0.
"""

import datetime
from dataclasses import dataclass, fields
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.activities.registers import Row, refuse_unless_any, row_day, row_unit, take
from danvan.core.tables import cell_text, whole_number
from danvan.core.text import check_text, clean_text
from danvan.orgs.models import Unit

from . import selectors, sources
from .indexing import SEARCHED
from .models import Meeting

TOPIC_MAX = 300
NOTES_MAX = 4_000
MAX_PEOPLE = 100_000
MIN_YEAR = 1995


@dataclass
class MeetingSpec:
    unit: Unit | None
    held_on: datetime.date | None
    topic: str
    attendees: int | None
    expected: int | None = None
    notes: str = ""

    @classmethod
    def values_of(cls, meeting: "Meeting") -> dict[str, Any]:
        """What a meeting says, by the names of the spec's fields (a form's initial, an API change)."""
        return {item.name: getattr(meeting, item.name) for item in fields(cls)}


@dataclass(frozen=True)
class Clean:
    """A meeting's values once checked."""

    unit: Unit
    held_on: datetime.date
    topic: str
    attendees: int
    expected: int | None = None
    notes: str = ""


def _require_record(by: Actor, unit: Unit) -> None:
    if not policy.can(by, Perm.ACTIVITY_RECORD, unit):
        raise PermissionDenied(
            _("You may not record the thematic meetings of %(unit)s.") % {"unit": unit.name}
        )


def _count(value: Any, field: str, errors: dict, *, required: bool, label: str) -> int | None:
    """A whole number from 0 (a number of people); None when not given and not required."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[field] = _("%(label)s is missing.") % {"label": label}
        return None
    number = whole_number(value, grouped=False)
    if number is None or number > MAX_PEOPLE:
        errors[field] = _("%(label)s must be a whole number from 0.") % {"label": label}
        return None
    return number


def _check(spec: MeetingSpec, *, today: datetime.date | None = None) -> Clean:
    """The spec cleaned, or a ValidationError naming each field that is wrong."""
    errors: dict[str, str] = {}
    today = today or timezone.localdate()
    day = spec.held_on
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        errors["held_on"] = _("Give the date the meeting was held (dd/mm/yyyy).")
        day = None
    elif day > today:
        errors["held_on"] = _("The date cannot be in the future.")
    elif day.year < MIN_YEAR:
        errors["held_on"] = _("The year must be between %(min)s and %(max)s.") % {
            "min": MIN_YEAR,
            "max": today.year,
        }
    unit = spec.unit
    if not isinstance(unit, Unit) or unit.pk is None:
        errors["unit"] = _("Choose the party cell.")
    elif day is not None and "held_on" not in errors:
        message = selectors.cell_error(unit, day)
        if message:
            errors["unit"] = message
    topic = clean_text(
        spec.topic, "topic", errors, limit=TOPIC_MAX, required=_("Write the topic of the meeting.")
    )
    notes = clean_text(spec.notes, "notes", errors, limit=NOTES_MAX, multiline=True)
    attendees = _count(spec.attendees, "attendees", errors, required=True, label=_("The number of attendees"))
    expected = _count(
        spec.expected, "expected", errors, required=False, label=_("The number of members expected")
    )
    if errors or not isinstance(unit, Unit) or day is None or attendees is None:
        raise ValidationError(errors)
    return Clean(unit=unit, held_on=day, topic=topic, attendees=attendees, expected=expected, notes=notes)


def meeting_create(*, spec: MeetingSpec, by: Actor) -> Meeting:
    """Record a thematic meeting of a cell (ACTIVITY_RECORD at the cell)."""
    if isinstance(spec.unit, Unit) and spec.unit.pk is not None:
        _require_record(by, spec.unit)
    else:
        refuse_unless_any(by)
    clean = _check(spec)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            unit=clean.unit,
            held_on=clean.held_on,
            topic=clean.topic,
            attendees=clean.attendees,
            expected=clean.expected,
            notes=clean.notes,
            created_by=recorded_user(by),
        )
        sources.refresh({meeting.unit_id}, {meeting.held_on})
        SEARCHED.put(meeting)
    return meeting


def meeting_update(*, meeting: Meeting, spec: MeetingSpec, by: Actor) -> Meeting:
    """Change a meeting (ACTIVITY_RECORD at its cell, and at the new cell when it moves)."""
    _require_record(by, meeting.unit)
    if isinstance(spec.unit, Unit) and spec.unit.pk is not None:
        _require_record(by, spec.unit)
    clean = _check(spec)
    before = (meeting.unit_id, meeting.held_on)
    with transaction.atomic():
        meeting.unit = clean.unit
        meeting.held_on = clean.held_on
        meeting.topic = clean.topic
        meeting.attendees = clean.attendees
        meeting.expected = clean.expected
        meeting.notes = clean.notes
        meeting.save()
        sources.refresh({before[0], meeting.unit_id}, {before[1], meeting.held_on})
        SEARCHED.put(meeting)
    return meeting


def meeting_delete(*, meeting: Meeting, by: Actor) -> None:
    """Delete a meeting recorded by mistake (ACTIVITY_RECORD at its cell)."""
    _require_record(by, meeting.unit)
    unit_id, day = meeting.unit_id, meeting.held_on
    with transaction.atomic():
        SEARCHED.drop(meeting.pk)
        meeting.delete()
        sources.refresh({unit_id}, {day})


# ---------------------------------------------------------------- import (kind "cell_meeting")


def _row(row: Row, *, by: Actor, today: datetime.date) -> tuple[Clean | None, list[str]]:
    messages: list[str] = []
    unit = take(messages, row_unit, row.cells.get("unit_code"), by=by)
    day = take(messages, row_day, row.cells.get("held_on"), label=_("The date held"), today=today)
    if unit is not None and day is not None:
        message = selectors.cell_error(unit, day)
        if message:
            messages.append(message)
    errors: dict[str, str] = {}
    try:
        topic = check_text(
            cell_text(row.cells.get("topic")), limit=TOPIC_MAX, required=_("Write the topic of the meeting.")
        )
    except ValidationError as error:
        messages.extend(error.messages)
        topic = ""
    attendees = _count(
        row.cells.get("attendees"), "attendees", errors, required=True, label=_("The number of attendees")
    )
    messages.extend(errors.values())
    if messages or unit is None or day is None or attendees is None:
        return None, messages
    return Clean(unit=unit, held_on=day, topic=topic, attendees=attendees), []


def import_rows(*, rows: list[Row], by: Actor) -> int:
    """Import existing meetings (columns unit_code, held_on, topic, attendees): every row is checked,
    all of them saved or none (ValidationError({line: [messages]})); the figures are recomputed once."""
    refuse_unless_any(by)
    today = timezone.localdate()
    checked: list[Clean] = []
    errors: dict[int, list[str]] = {}
    for row in rows:
        spec, messages = _row(row, by=by, today=today)
        if messages:
            errors[row.line] = messages
        elif spec is not None:
            checked.append(spec)
    if errors:
        raise ValidationError(cast(dict[str, Any], errors))  # keyed by the file's line numbers
    if not checked:
        return 0
    creator = recorded_user(by)
    with transaction.atomic():
        made = [
            Meeting.objects.create(
                unit=spec.unit,
                held_on=spec.held_on,
                topic=spec.topic,
                attendees=spec.attendees,
                created_by=creator,
            )
            for spec in checked
        ]
        SEARCHED.put_many(made)
        sources.refresh({spec.unit.pk for spec in checked}, {spec.held_on for spec in checked})
    return len(checked)
