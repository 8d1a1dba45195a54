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
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.activities.registers import Row, file_units, refuse_unless_any, row_day, row_unit
from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core.dates import day_text
from danvan.core.tables import cell_text, whole_number
from danvan.core.text import clean_text, search_key
from danvan.orgs.models import Unit

from .indexing import SEARCHED
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


def _check_findings(
    *,
    conducted_on: datetime.date | None,
    strengths: str,
    shortcomings: str,
    conclusion: str,
    errors: dict,
) -> dict[str, str]:
    """The findings at an inspected unit (findings_record and the import): the words, cleaned."""
    if conducted_on is None:
        errors["conducted_on"] = _("Give the day the inspection was conducted.")
    _not_future(conducted_on, "conducted_on", _("The day conducted"), errors)
    return {
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


def _check_remedy(
    *, content: str, due_on: datetime.date | None, conducted_on: datetime.date | None, errors: dict
) -> str:
    """A remedy of an inspected unit conducted on `conducted_on` (remedy_add and the import): its words."""
    text = clean_text(
        content,
        "content",
        errors,
        limit=TEXT_MAX,
        multiline=True,
        required=_("Write the recommendation or remedy."),
    )
    if conducted_on is None:
        errors["due_on"] = _("Record the findings at this unit (the day conducted) before its remedies.")
    elif due_on is None:
        errors["due_on"] = _("Give the deadline of the remedy.")
    elif due_on < conducted_on:
        errors["due_on"] = _(
            "The deadline %(deadline)s is before the day the inspection was conducted (%(day)s)."
        ) % {
            "deadline": day_text(due_on),
            "day": day_text(conducted_on),
        }
    return text


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
    SEARCHED.put(inspection)  # found at its unit and at the units it inspects
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
    SEARCHED.put(inspection)
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
    text = _check_findings(
        conducted_on=conducted_on,
        strengths=strengths,
        shortcomings=shortcomings,
        conclusion=conclusion,
        errors=errors,
    )
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
        SEARCHED.put(inspection)
    return target


@transaction.atomic
def remedy_add(*, target: Target, content: str, due_on: datetime.date | None, by: Actor) -> Remedy:
    """A recommendation or remedy required of the inspected unit, by a deadline not before the inspection."""
    policy.require(by, RECORD, target.inspection.unit)
    target = Target.objects.select_for_update().get(pk=target.pk)
    errors: dict[str, str] = {}
    text = _check_remedy(content=content, due_on=due_on, conducted_on=target.conducted_on, errors=errors)
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


# ---------------------------------------------------------------- the import (`--kind inspection`)

IMPORT_COLUMNS = ("inspecting_unit_code", "kind", "title", "year", "inspected_unit_code")
IMPORT_OPTIONAL = ("conducted_on", "strengths", "shortcomings", "conclusion", "remedy", "deadline")
FINDINGS = ("strengths", "shortcomings", "conclusion")
# How the kind may be written (compared by search_key: accents and case do not matter).
KIND_WORDS = {
    "kiem tra": Kind.INSPECTION,
    "giam sat": Kind.SUPERVISION,
    "giam sat cong tac": Kind.SUPERVISION,
    **{value: Kind(value) for value in Kind.values},
}


@dataclass
class _Line:
    """One checked line of the file: its programme, its inspected unit and what it adds."""

    line: int
    inspecting: Unit
    inspected: Unit
    kind: str
    title: str
    year: int | None
    programme: tuple
    conducted_on: datetime.date | None
    findings: dict[str, str]
    remedy: str
    deadline: datetime.date | None


@dataclass
class _Programme:
    first: _Line
    targets: dict[int, _Line] = field(default_factory=dict)  # inspected unit id → the line of its findings
    lines: list[_Line] = field(default_factory=list)

    def planned(self) -> tuple[datetime.date, datetime.date]:
        """The planned period of an imported programme: its days conducted (the first within its year),
        else its whole year."""
        year = self.first.year or timezone.localdate().year
        days = sorted(line.conducted_on for line in self.targets.values() if line.conducted_on)
        starts = next((day for day in days if day.year == year), datetime.date(year, 1, 1))
        ends = max(days[-1], starts) if days else datetime.date(year, 12, 31)
        return starts, ends

    def state(self) -> str:
        recorded = [line for line in self.targets.values() if line.conducted_on]
        wanted = {line.inspected.pk for line in self.lines}
        if not recorded:
            return State.PLANNED
        return State.CONCLUDED if len(recorded) == len(wanted) else State.IN_PROGRESS


def _read_line(
    row: Row, *, by: Actor, units: dict, today: datetime.date, messages: list[str]
) -> _Line | None:
    cells = row.cells
    found: dict = {}
    for name, check in (
        ("inspecting", lambda: row_unit(cells.get("inspecting_unit_code"), by=by, units=units)),
        ("inspected", lambda: row_unit(cells.get("inspected_unit_code"), by=by, units=units)),
        (
            "conducted_on",
            lambda: row_day(
                cells.get("conducted_on"), label=_("The day conducted"), required=False, today=today
            ),
        ),
        (
            "deadline",  # a deadline may be ahead
            lambda: row_day(
                cells.get("deadline"), label=_("The deadline"), required=False, today=datetime.date.max
            ),
        ),
    ):
        try:
            found[name] = check()
        except ValidationError as error:
            messages.extend(error.messages)
    written = cell_text(cells.get("kind"))
    kind = KIND_WORDS.get(search_key(written))
    if kind is None:
        messages.append(_("Kind “%(value)s” is not one of: Kiểm tra, Giám sát.") % {"value": written})
    year = whole_number(cells.get("year"), grouped=False)
    if year is None and cell_text(cells.get("year")):
        messages.append(_("Year “%(value)s” is not a year.") % {"value": cell_text(cells.get("year"))})
    if messages:
        return None
    title = cell_text(cells.get("title"))
    inspecting = found["inspecting"]
    errors: dict[str, str] = {}
    findings: dict[str, str] = {}
    if found["conducted_on"] is not None or any(cell_text(cells.get(name)) for name in FINDINGS):
        findings = _check_findings(
            conducted_on=found["conducted_on"],
            strengths=cell_text(cells.get("strengths")),
            shortcomings=cell_text(cells.get("shortcomings")),
            conclusion=cell_text(cells.get("conclusion")),
            errors=errors,
        )
    messages.extend(errors.values())
    return _Line(
        line=row.line,
        inspecting=inspecting,
        inspected=found["inspected"],
        kind=str(kind),
        title=title,
        year=year,
        programme=(inspecting.pk, search_key(title), year),
        conducted_on=found["conducted_on"],
        findings=findings,
        remedy=cell_text(cells.get("remedy")),
        deadline=found["deadline"],
    )


def inspections_import(*, rows: list[Row], by: Actor) -> int:
    """Record the programmes of an import file, one row an inspected unit's findings and remedy
    (IMPORT_COLUMNS, IMPORT_OPTIONAL); rows of the same inspecting unit, title and year make one
    programme. Every row is checked by the rules of inspection_create, findings_record and remedy_add;
    all saved or none.

    An imported programme is planned over the days it was conducted (its whole year when none is
    given) and is planned, under way or concluded as its inspected units have findings (none, some,
    all). Raises ValidationError({line: [messages]}); returns how many rows were saved."""
    refuse_unless_any(by)
    today = timezone.localdate()
    units = file_units(rows, [name for name in IMPORT_COLUMNS if name.endswith("code")])
    problems: dict[int, list[str]] = {}
    programmes: dict[tuple, _Programme] = {}
    for row in rows:  # first every line read, its findings checked and gathered by programme
        messages: list[str] = []
        line = _read_line(row, by=by, units=units, today=today, messages=messages)
        if line is not None and not messages:
            programme = programmes.setdefault(line.programme, _Programme(first=line))
            if line.kind != programme.first.kind:
                messages.append(
                    _("Line %(line)s makes this programme a %(kind)s: a programme has one kind.")
                    % {"line": programme.first.line, "kind": Kind(programme.first.kind).label.lower()}
                )
            earlier = programme.targets.get(line.inspected.pk)
            if line.findings and earlier is not None:
                messages.append(
                    _("The findings at %(unit)s were given on line %(line)s: give them once.")
                    % {"unit": line.inspected.name, "line": earlier.line}
                )
            elif line.findings:
                programme.targets[line.inspected.pk] = line
            programme.lines.append(line)
        if messages:
            problems[row.line] = messages
    for programme in programmes.values():  # then the programme's and the remedies' rules
        starts_on, ends_on = programme.planned()
        for line in programme.lines:
            errors: dict[str, str] = {}
            try:
                _check_programme(
                    unit=line.inspecting,
                    kind=line.kind,
                    title=line.title,
                    reference="",
                    year=line.year,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    units=[line.inspected],
                    by=by,
                )
            except ValidationError as error:
                errors.update({key: texts[0] for key, texts in error.message_dict.items()})
            if line.remedy or line.deadline:
                findings = programme.targets.get(line.inspected.pk)
                _check_remedy(
                    content=line.remedy,
                    due_on=line.deadline,
                    conducted_on=findings.conducted_on if findings else None,
                    errors=errors,
                )
            if errors:
                problems.setdefault(line.line, []).extend(errors.values())
    if problems:
        raise ValidationError(problems)  # type: ignore[arg-type]  # keyed by line, as registers.py says
    user = recorded_user(by)
    made: list[Inspection] = []
    with transaction.atomic():
        by_unit: dict[Unit, int] = {}
        for programme in programmes.values():
            first = programme.first
            assert first.year is not None  # checked by _check_programme
            starts_on, ends_on = programme.planned()
            inspection = Inspection.objects.create(
                unit=first.inspecting,
                kind=first.kind,
                title=clean_text(first.title, "title", {}, limit=TITLE_MAX),
                year=first.year,
                starts_on=starts_on,
                ends_on=ends_on,
                state=programme.state(),
                created_by=user,
            )
            targets: dict[int, Target] = {}
            for line in programme.lines:
                target = targets.get(line.inspected.pk)
                if target is None:
                    recorded = programme.targets.get(line.inspected.pk)
                    target = targets[line.inspected.pk] = Target.objects.create(
                        inspection=inspection,
                        unit=line.inspected,
                        conducted_on=recorded.conducted_on if recorded else None,
                        **(recorded.findings if recorded else {}),
                    )
                if line.remedy:
                    assert line.deadline is not None
                    text = clean_text(line.remedy, "content", {}, limit=TEXT_MAX, multiline=True)
                    Remedy.objects.create(target=target, content=text, due_on=line.deadline)
            made.append(inspection)
            by_unit[first.inspecting] = by_unit.get(first.inspecting, 0) + len(programme.lines)
        for unit, count in by_unit.items():
            record(
                action=AuditEvent.Action.IMPORT,
                model=Inspection._meta.label_lower,
                object_repr=_(
                    "%(count)s lines of the inspection and supervision register of %(unit)s imported"
                )
                % {"count": count, "unit": unit.code},
                unit=unit,
                changes={"rows": count},
            )
        SEARCHED.put_many(made)
    return sum(len(programme.lines) for programme in programmes.values())
