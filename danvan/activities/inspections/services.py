"""Writes of inspection and supervision: each function one transaction, validated before anything is saved.

- The inspecting unit's officers (ACTIVITY_RECORD at the inspecting unit) plan a programme, record the
  findings at each inspected unit and the remedies required of it.
- The inspected unit's officers (ACTIVITY_RECORD at the inspected unit, the remedy's responsible unit)
  record the follow-up of their remedies.

Rules: the inspected units lie strictly inside the inspecting unit's subtree; "conducted on" and
"remedied on" are not in the future; a deadline is not before the day the inspection was conducted;
a programme's state and a remedy's state only move forward. Messages in Vietnamese (gettext).
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.core.dates import day_text
from danvan.core.text import clean_text
from danvan.orgs.models import Unit

from .models import STATE_ORDER, Inspection, Kind, Remedy, RemedyState, State, Target

RECORD = Perm.ACTIVITY_RECORD
TITLE_MAX = 300
TEXT_MAX = 10000
FIRST_YEAR = 2000


def _within(root: Unit, unit: Unit) -> bool:
    """Strictly inside the subtree of `root` (a unit inspects the units below it)."""
    return unit.path.startswith(root.path) and unit.path != root.path


def _not_future(day: datetime.date | None, field: str, label: str, errors: dict) -> None:
    if day is not None and day > timezone.localdate():
        errors[field] = _("%(label)s %(day)s is in the future.") % {"label": label, "day": day_text(day)}


def _check_programme(
    *,
    unit: Unit,
    kind: str,
    title: str,
    reference: str,
    year: int | None,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    units: Sequence[Unit],
    by: Actor,
    keep: frozenset[int] = frozenset(),
) -> dict:
    errors: dict[str, str] = {}
    values = {
        "title": clean_text(
            title, "title", errors, limit=TITLE_MAX, required=_("Write the programme's title.")
        ),
        "reference": clean_text(reference, "reference", errors, limit=TITLE_MAX),
    }
    if kind not in Kind.values:
        errors["kind"] = _("Choose inspection or supervision.")
    this_year = timezone.localdate().year
    if year is None:
        errors["year"] = _("Give the year of the programme.")
    elif not FIRST_YEAR <= year <= this_year + 1:
        errors["year"] = _("The year must be between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR,
            "last": this_year + 1,
        }
    if starts_on is None:
        errors["starts_on"] = _("Give the planned start date.")
    if ends_on is None:
        errors["ends_on"] = _("Give the planned end date.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The planned end (%(end)s) is before the planned start (%(start)s).") % {
            "end": day_text(ends_on),
            "start": day_text(starts_on),
        }
    if starts_on and year and "year" not in errors and starts_on.year != year:
        errors["starts_on"] = _("The planned start %(day)s is not in the programme's year %(year)s.") % {
            "day": day_text(starts_on),
            "year": year,
        }
    if not units:
        errors["units"] = _("Choose at least one unit to inspect.")
    else:
        outside = [
            u.name
            for u in units
            if u.pk not in keep and (not _within(unit, u) or not policy.can(by, RECORD, u))
        ]
        if outside:
            errors["units"] = _(
                "These units are not below %(root)s or are outside your scope: %(units)s."
            ) % {"root": unit.name, "units": ", ".join(outside)}
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def inspection_create(
    *,
    unit: Unit,
    kind: str,
    title: str,
    reference: str = "",
    year: int | None,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    units: Sequence[Unit],
    by: Actor,
) -> Inspection:
    """A new programme of `unit` inspecting or supervising `units` (strictly below it)."""
    policy.require(by, RECORD, unit)
    values = _check_programme(
        unit=unit,
        kind=kind,
        title=title,
        reference=reference,
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        units=units,
        by=by,
    )
    assert year is not None and starts_on is not None and ends_on is not None
    inspection = Inspection.objects.create(
        unit=unit,
        kind=kind,
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=recorded_user(by),
        **values,
    )
    for inspected in dict.fromkeys(units):
        Target.objects.create(inspection=inspection, unit=inspected)
    return inspection


@transaction.atomic
def inspection_update(
    *,
    inspection: Inspection,
    kind: str,
    title: str,
    reference: str,
    year: int | None,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    state: str,
    units: Sequence[Unit],
    by: Actor,
) -> Inspection:
    """Change a programme: its words, dates, state (only forward) and inspected units (a unit with
    findings or remedies recorded stays)."""
    policy.require(by, RECORD, inspection.unit)
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    existing = {target.unit_id: target for target in inspection.targets.select_related("unit")}
    # Units already inspected stay acceptable even when the user's scope no longer reaches them.
    errors: dict[str, str] = {}
    try:
        values = _check_programme(
            unit=inspection.unit,
            kind=kind,
            title=title,
            reference=reference,
            year=year,
            starts_on=starts_on,
            ends_on=ends_on,
            units=units,
            by=by,
            keep=frozenset(existing),
        )
    except ValidationError as error:
        errors.update({key: messages[0] for key, messages in error.message_dict.items()})
        values = {}
    if state not in State.values:
        errors["state"] = _("Choose the programme's state.")
    elif STATE_ORDER.index(State(state)) < STATE_ORDER.index(State(inspection.state)):
        errors["state"] = _("The state cannot go back from “%(now)s” to “%(then)s”.") % {
            "now": State(inspection.state).label,
            "then": State(state).label,
        }
    chosen = {u.pk for u in units}
    dropped = [target for unit_id, target in existing.items() if unit_id not in chosen]
    busy = [t.unit.name for t in dropped if t.conducted_on is not None or t.remedies.exists()]
    if busy and "units" not in errors:
        errors["units"] = _(
            "These units already have findings or remedies and cannot be removed: %(units)s."
        ) % {"units": ", ".join(busy)}
    if errors:
        raise ValidationError(errors)
    assert year is not None and starts_on is not None and ends_on is not None
    inspection.kind = kind
    inspection.title = values["title"]
    inspection.reference = values["reference"]
    inspection.year = year
    inspection.starts_on = starts_on
    inspection.ends_on = ends_on
    inspection.state = state
    inspection.save()
    for target in dropped:
        target.delete()
    for unit in units:
        if unit.pk not in existing:
            Target.objects.create(inspection=inspection, unit=unit)
    return inspection


@transaction.atomic
def findings_record(
    *,
    target: Target,
    conducted_on: datetime.date | None,
    strengths: str,
    shortcomings: str,
    conclusion: str,
    by: Actor,
) -> Target:
    """The inspecting unit records when it inspected `target`'s unit, what it found and its conclusion
    (a programme still planned is then under way)."""
    policy.require(by, RECORD, target.inspection.unit)
    target = Target.objects.select_for_update().select_related("inspection__unit", "unit").get(pk=target.pk)
    errors: dict[str, str] = {}
    if conducted_on is None:
        errors["conducted_on"] = _("Give the day the inspection was conducted.")
    _not_future(conducted_on, "conducted_on", _("The day conducted"), errors)
    text = {
        "strengths": clean_text(strengths, "strengths", errors, limit=TEXT_MAX, multiline=True),
        "shortcomings": clean_text(shortcomings, "shortcomings", errors, limit=TEXT_MAX, multiline=True),
        "conclusion": clean_text(
            conclusion,
            "conclusion",
            errors,
            limit=TEXT_MAX,
            multiline=True,
            required=_("Write the conclusion."),
        ),
    }
    first_deadline = target.remedies.order_by("due_on").values_list("due_on", flat=True).first()
    if conducted_on and first_deadline and "conducted_on" not in errors and first_deadline < conducted_on:
        errors["conducted_on"] = _(
            "A remedy of this unit is due on %(deadline)s, before %(day)s: a deadline cannot precede the inspection."
        ) % {"deadline": day_text(first_deadline), "day": day_text(conducted_on)}
    if errors:
        raise ValidationError(errors)
    target.conducted_on = conducted_on
    for name, value in text.items():
        setattr(target, name, value)
    target.save()
    inspection = target.inspection
    if inspection.state == State.PLANNED:  # the first findings: the programme is under way
        inspection.state = State.IN_PROGRESS
        inspection.save(update_fields=["state"])
    return target


@transaction.atomic
def remedy_add(*, target: Target, content: str, due_on: datetime.date | None, by: Actor) -> Remedy:
    """A recommendation or remedy required of the inspected unit, by a deadline not before the inspection."""
    policy.require(by, RECORD, target.inspection.unit)
    target = Target.objects.select_for_update().get(pk=target.pk)
    errors: dict[str, str] = {}
    text = clean_text(
        content,
        "content",
        errors,
        limit=TEXT_MAX,
        multiline=True,
        required=_("Write the recommendation or remedy."),
    )
    if target.conducted_on is None:
        errors["due_on"] = _("Record the findings at this unit (the day conducted) before its remedies.")
    elif due_on is None:
        errors["due_on"] = _("Give the deadline of the remedy.")
    elif due_on < target.conducted_on:
        errors["due_on"] = _(
            "The deadline %(deadline)s is before the day the inspection was conducted (%(day)s)."
        ) % {
            "deadline": day_text(due_on),
            "day": day_text(target.conducted_on),
        }
    if errors:
        raise ValidationError(errors)
    assert due_on is not None
    return Remedy.objects.create(target=target, content=text, due_on=due_on)


@transaction.atomic
def remedy_follow_up(
    *, remedy: Remedy, state: str, remedied_on: datetime.date | None, result: str, by: Actor
) -> Remedy:
    """The inspected unit records how its remedy stands: the result so far, or remedied on a day."""
    policy.require(by, RECORD, remedy.target.unit)
    remedy = Remedy.objects.select_for_update().select_related("target").get(pk=remedy.pk)
    errors: dict[str, str] = {}
    text = clean_text(result, "result", errors, limit=TEXT_MAX, multiline=True)
    if state not in RemedyState.values:
        errors["state"] = _("Choose the state of the remedy.")
    elif remedy.state == RemedyState.REMEDIED and state != RemedyState.REMEDIED:
        errors["state"] = _("This remedy is already remedied: its state cannot go back.")
    elif state == RemedyState.REMEDIED:
        if remedied_on is None:
            errors["remedied_on"] = _("Give the day it was remedied.")
        else:
            _not_future(remedied_on, "remedied_on", _("The day remedied"), errors)
            conducted = remedy.target.conducted_on
            if "remedied_on" not in errors and conducted and remedied_on < conducted:
                errors["remedied_on"] = _(
                    "The day remedied %(day)s is before the inspection was conducted (%(conducted)s)."
                ) % {"day": day_text(remedied_on), "conducted": day_text(conducted)}
        if not text and "result" not in errors:
            errors["result"] = _("Write the result of the remedy.")
    elif remedied_on is not None:
        errors["remedied_on"] = _("A remedy not remedied yet has no day remedied: choose “Remedied”.")
    if errors:
        raise ValidationError(errors)
    remedy.state = state
    remedy.remedied_on = remedied_on if state == RemedyState.REMEDIED else None
    remedy.result = text
    remedy.save()
    return remedy
