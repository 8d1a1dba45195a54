"""Writes of the dialogues register: record, change and delete a dialogue, add and answer its issues,
import a file of dialogues.

Every service takes `by` and checks the policy first: a dialogue is kept by who holds ACTIVITY_RECORD
at its unit (a unit outside that scope is refused like one that does not exist). Input is checked as a
whole and refused with Vietnamese messages per field; nothing is half-saved (`transaction.atomic`). The
report figures counted from the dialogues ("dialogues.held") are recomputed in the same transaction for
the prepared periods the change touches (old and new day and unit).
"""

import datetime
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.activities.registers import Row, refuse_unless_any, row_day, row_unit, take
from danvan.core.dates import day_text
from danvan.core.tables import cell_text, whole_number
from danvan.core.text import check_text, clean_text
from danvan.orgs.models import Unit

from . import sources
from .indexing import SEARCHED
from .models import Audience, Dialogue, Format, Issue, IssueState

NAME_MAX = 150
LINE_MAX = 300
TEXT_MAX = 4000
MAX_PEOPLE = 100_000
FIRST_DAY = datetime.date(2000, 1, 1)
ISSUES_MAX = 50  # issues of one imported line


def _today() -> datetime.date:
    return timezone.localdate()


def _require_record(by: Actor, unit: Unit) -> None:
    if not policy.can(by, Perm.ACTIVITY_RECORD, unit):
        raise PermissionDenied(_("You may not keep the dialogues of %(unit)s.") % {"unit": unit.name})


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _past_day(value: Any, field: str, errors: dict, *, missing: str) -> None:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        errors[field] = missing
    elif value < FIRST_DAY:
        errors[field] = _("The date cannot be before %(day)s.") % {"day": day_text(FIRST_DAY)}
    elif value > _today():
        errors[field] = _("The date cannot be in the future.")


@dataclass(frozen=True)
class DialogueSpec:
    """What a dialogue says (the form, the API and the import fill it)."""

    unit: Any
    held_on: Any
    leader_name: str
    leader_position: str = ""
    audience: str = Audience.STAFF
    participants: Any = 0
    format: str = Format.DIRECT
    place: str = ""
    note: str = ""

    @classmethod
    def values_of(cls, dialogue: "Dialogue") -> dict[str, Any]:
        """What a dialogue says, by the names of the spec's fields (a form's initial, an API change)."""
        return {item.name: getattr(dialogue, item.name) for item in fields(cls)}


def _check(spec: DialogueSpec, by: Actor) -> dict:
    """The clean values of `spec`, or ValidationError naming each field's problem."""
    errors: dict = {}
    unit = spec.unit
    if not isinstance(unit, Unit) or unit.pk is None:
        errors["unit"] = _("Choose the unit.")
    elif not policy.can(by, Perm.ACTIVITY_RECORD, unit):
        errors["unit"] = _("Unit %(code)s does not exist or is outside your scope.") % {"code": unit.code}
    elif not unit.is_active:
        errors["unit"] = _("Unit %(code)s has ended: choose a unit that exists today.") % {"code": unit.code}
    _past_day(spec.held_on, "held_on", errors, missing=_("Give the date held as dd/mm/yyyy."))
    values = {
        "leader_name": clean_text(
            spec.leader_name, "leader_name", errors, limit=NAME_MAX, required=_("Give the leader's name.")
        ),
        "leader_position": clean_text(spec.leader_position, "leader_position", errors, limit=NAME_MAX),
        "place": clean_text(spec.place, "place", errors, limit=LINE_MAX),
        "note": clean_text(spec.note, "note", errors, limit=TEXT_MAX, multiline=True),
    }
    if spec.audience not in Audience.values:
        errors["audience"] = _("Choose who the dialogue was with.")
    if spec.format not in Format.values:
        errors["format"] = _("Choose the format of the dialogue.")
    participants = spec.participants
    if isinstance(participants, bool) or not isinstance(participants, int):
        errors["participants"] = _("Give the number of participants as a whole number.")
    elif not 0 <= participants <= MAX_PEOPLE:
        errors["participants"] = _("The number of participants must be between 0 and %(max)s.") % {
            "max": MAX_PEOPLE
        }
    _raise(errors)
    return {
        **values,
        "unit": unit,
        "held_on": spec.held_on,
        "audience": spec.audience,
        "format": spec.format,
        "participants": participants,
    }


def _refresh(*pairs: tuple[int, datetime.date]) -> None:
    sources.refresh({unit_id for unit_id, _day in pairs}, {day for _unit, day in pairs})


@transaction.atomic
def dialogue_record(*, spec: DialogueSpec, by: Actor) -> Dialogue:
    """Record a dialogue held at a unit (ACTIVITY_RECORD there; the day not in the future)."""
    refuse_unless_any(by)
    if isinstance(spec.unit, Unit) and spec.unit.pk is not None:
        _require_record(by, spec.unit)
    values = _check(spec, by)
    dialogue = Dialogue.objects.create(**values, created_by=recorded_user(by))
    _refresh((dialogue.unit_id, dialogue.held_on))
    SEARCHED.put(dialogue)
    return dialogue


@transaction.atomic
def dialogue_update(*, dialogue: Dialogue, spec: DialogueSpec, by: Actor) -> Dialogue:
    """Change a dialogue (ACTIVITY_RECORD at its unit, and at the new unit when it moves)."""
    _require_record(by, dialogue.unit)
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    before = (dialogue.unit_id, dialogue.held_on)
    values = _check(spec, by)
    first = dialogue.issues.order_by("answered_on").exclude(answered_on=None).first()
    if first is not None and first.answered_on is not None and values["held_on"] > first.answered_on:
        raise ValidationError(
            {
                "held_on": _(
                    "An issue of this dialogue was answered on %(day)s: the dialogue was held before."
                )
                % {"day": day_text(first.answered_on)}
            }
        )
    for name, value in values.items():
        setattr(dialogue, name, value)
    dialogue.save()
    _refresh(before, (dialogue.unit_id, dialogue.held_on))
    SEARCHED.put(dialogue)
    return dialogue


@transaction.atomic
def dialogue_delete(*, dialogue: Dialogue, by: Actor) -> None:
    """Delete a dialogue recorded by mistake, with its issues."""
    _require_record(by, dialogue.unit)
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    before = (dialogue.unit_id, dialogue.held_on)
    for issue in dialogue.issues.all():
        issue.delete()  # one by one: each is audited
    SEARCHED.drop(dialogue.pk)
    dialogue.delete()
    _refresh(before)


def _issue_values(
    dialogue: Dialogue, content: Any, answerer: Any, due_on: Any, errors: dict
) -> dict[str, Any]:
    values = {
        "content": clean_text(
            content, "content", errors, limit=TEXT_MAX, multiline=True, required=_("Say what the issue is.")
        ),
        "answerer": clean_text(answerer, "answerer", errors, limit=LINE_MAX),
    }
    if due_on is not None and (
        not isinstance(due_on, datetime.date) or isinstance(due_on, datetime.datetime)
    ):
        errors["due_on"] = _("Give the due date as dd/mm/yyyy.")
    elif due_on is not None and due_on < dialogue.held_on:
        errors["due_on"] = _("The answer cannot be due before the dialogue (%(day)s).") % {
            "day": day_text(dialogue.held_on)
        }
    return values


@transaction.atomic
def issue_add(
    *, dialogue: Dialogue, content: str, by: Actor, answerer: str = "", due_on: datetime.date | None = None
) -> Issue:
    """Add an issue raised in the dialogue: open, to be answered by `answerer` by `due_on`."""
    _require_record(by, dialogue.unit)
    errors: dict = {}
    values = _issue_values(dialogue, content, answerer, due_on, errors)
    _raise(errors)
    issue = Issue.objects.create(dialogue=dialogue, due_on=due_on, state=IssueState.OPEN, **values)
    SEARCHED.put(dialogue)  # the issues raised are searched with their dialogue
    return issue


@transaction.atomic
def issue_update(
    *,
    issue: Issue,
    content: str,
    answerer: str,
    due_on: datetime.date | None,
    answer: str,
    state: str,
    answered_on: datetime.date | None,
    by: Actor,
) -> Issue:
    """Change an issue and its follow-up: answered or closed needs the answer and the day it was given."""
    _require_record(by, issue.dialogue.unit)
    issue = Issue.objects.select_for_update().select_related("dialogue").get(pk=issue.pk)
    errors: dict = {}
    values = _issue_values(issue.dialogue, content, answerer, due_on, errors)
    answer = clean_text(answer, "answer", errors, limit=TEXT_MAX, multiline=True)
    if state not in IssueState.values:
        errors["state"] = _("Choose the follow-up state.")
    elif state == IssueState.OPEN:
        answered_on = None
    else:
        if not answer and "answer" not in errors:
            errors["answer"] = _("Give the answer.")
        _past_day(answered_on, "answered_on", errors, missing=_("Give the day of the answer as dd/mm/yyyy."))
        if "answered_on" not in errors and answered_on is not None and answered_on < issue.dialogue.held_on:
            errors["answered_on"] = _("The answer cannot come before the dialogue (%(day)s).") % {
                "day": day_text(issue.dialogue.held_on)
            }
    _raise(errors)
    for name, value in values.items():
        setattr(issue, name, value)
    issue.due_on = due_on
    issue.answer = answer
    issue.state = state
    issue.answered_on = answered_on
    issue.save()
    SEARCHED.put(issue.dialogue)
    return issue


@transaction.atomic
def issue_delete(*, issue: Issue, by: Actor) -> None:
    """Delete an issue entered by mistake."""
    _require_record(by, issue.dialogue.unit)
    issue.delete()
    SEARCHED.put(issue.dialogue)


# ---------------------------------------------------------------- import


def _participants(value: Any) -> int:
    number = whole_number(value, grouped=False)
    # a negative whole number (-3, -3.0) is out of range; anything else that is no count is not a number
    negative = isinstance(value, int | float) and not isinstance(value, bool) and value < 0 and value % 1 == 0
    if number is None and not negative:
        raise ValidationError(_("The number of participants must be a whole number of 0 or more."))
    if number is None or number > MAX_PEOPLE:
        raise ValidationError(
            _("The number of participants must be between 0 and %(max)s.") % {"max": MAX_PEOPLE}
        )
    return number


def _issue_texts(value: Any) -> list[str]:
    texts = [part.strip() for part in cell_text(value).split(";")]
    texts = [text for text in texts if text]
    if len(texts) > ISSUES_MAX:
        raise ValidationError(_("At most %(max)s issues per dialogue.") % {"max": ISSUES_MAX})
    return [check_text(text, limit=TEXT_MAX) for text in texts]


def import_rows(*, rows: list[Row], by: Actor) -> int:
    """Import dialogues (`unit_code,held_on,leader,participants,issues`): each row a dialogue with the
    audience staff and a direct meeting, its `issues` (separated by ";") open without a due date.

    Every row is checked; any problem refuses the whole file (ValidationError({line: [messages]})) and
    nothing is saved. Returns the number of dialogues saved."""
    refuse_unless_any(by)
    errors: dict[Any, list[str]] = {}  # line → messages
    checked: list[tuple[DialogueSpec, list[str]]] = []
    for row in rows:
        messages: list[str] = []
        cells = row.cells
        unit = take(messages, row_unit, cells.get("unit_code"), by=by)
        held_on = take(messages, row_day, cells.get("held_on"), label=_("Date held"))
        leader = cell_text(cells.get("leader"))
        if not leader:
            messages.append(_("The leader's name is missing."))
        participants = take(messages, _participants, cells.get("participants"))
        issues = take(messages, _issue_texts, cells.get("issues")) or []
        spec = DialogueSpec(unit=unit, held_on=held_on, leader_name=leader, participants=participants)
        if not messages:
            try:
                _check(spec, by)
            except ValidationError as error:
                messages.extend(error.messages)
        if messages:
            errors[row.line] = messages
        else:
            checked.append((spec, issues))
    if errors:
        raise ValidationError(errors)
    touched: set[tuple[int, datetime.date]] = set()
    made: list[Dialogue] = []
    with transaction.atomic():
        for spec, issues in checked:
            dialogue = Dialogue.objects.create(**_check(spec, by), created_by=recorded_user(by))
            for text in issues:  # one by one: each is audited
                Issue.objects.create(dialogue=dialogue, content=text)
            touched.add((dialogue.unit_id, dialogue.held_on))
            made.append(dialogue)
        _refresh(*touched)
        SEARCHED.put_many(made)
    return len(checked)
