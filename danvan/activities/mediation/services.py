"""Writes of grassroots mediation: teams and their mediators, the register of cases, its import.

Every function checks ACTIVITY_RECORD at the unit concerned for `by` first, then everything the law
and the register require, raising ValidationError (field → Vietnamese message) before anything is
saved, all in one transaction.

- A team keeps at least three mediators, one of them at least a woman (Luật Hòa giải ở cơ sở 2013,
  khoản 1 Điều 12): it is created with its first mediators in one call (`team_create`), and a change
  that would break the rule (removing a mediator, changing one's sex) is refused.
- A case is received at a unit (in `by`'s scope) on a day that is not in the future; its result is
  successful, unsuccessful or ongoing; a concluded case has its conclusion date (not before it was
  received, not in the future), an ongoing one has none; the agreement goes with a successful
  mediation, each party's demands with an unsuccessful one.
- The report figures of the prepared periods a case touches (old and new unit and date) are
  recomputed in the same transaction (`sources.refresh`); an import recomputes once.
"""

import datetime
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.activities.registers import Row, refuse_unless_any, row_day, row_unit, take
from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core.tables import cell_text
from danvan.core.text import clean_text
from danvan.orgs.models import Unit

from . import sources
from .indexing import SEARCHED
from .models import CONCLUDED, Case, Mediator, Result, Sex, Team
from .rules import split_names, team_rule

NAME_MAX = 150
LINE_MAX = 200
TEXT_MAX = 10_000
IMPORT_COLUMNS = ("unit_code", "received_on", "parties", "content", "mediators", "result", "concluded_on")

# How the import's `result` column may be written (case-insensitive, accents as written).
RESULT_WORDS = {
    "thành": Result.SUCCESSFUL,
    "hòa giải thành": Result.SUCCESSFUL,
    "successful": Result.SUCCESSFUL,
    "không thành": Result.UNSUCCESSFUL,
    "hòa giải không thành": Result.UNSUCCESSFUL,
    "unsuccessful": Result.UNSUCCESSFUL,
    "đang hòa giải": Result.ONGOING,
    "ongoing": Result.ONGOING,
}


def _today() -> datetime.date:
    return timezone.localdate()


def _require(by: Actor, unit: Unit) -> None:
    policy.require(by, Perm.ACTIVITY_RECORD, unit)


# ---------------------------------------------------------------- teams and mediators


@dataclass
class TeamSpec:
    unit: Unit
    name: str
    place: str = ""
    established_on: datetime.date | None = None


@dataclass
class MediatorSpec:
    name: str
    sex: str
    recognised_on: datetime.date | None = None
    trained: bool = False
    trained_on: datetime.date | None = None
    leader: bool = False


def _check_day(value: object, name: str, errors: dict, *, today: datetime.date) -> None:
    if value is None:
        return
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        errors[name] = _("Type the date as dd/mm/yyyy, e.g. 05/03/2026.")
    elif value > today:
        errors[name] = _("The date cannot be in the future.")


def _check_unit(unit: object, errors: dict) -> None:
    if not isinstance(unit, Unit) or unit.pk is None:
        errors["unit"] = _("Choose the unit.")
    elif not unit.is_active:
        errors["unit"] = _("Unit %(code)s has ended: choose a unit that exists today.") % {"code": unit.code}


def _check_team(spec: TeamSpec, errors: dict, *, team: Team | None = None) -> TeamSpec:
    today = _today()
    name = clean_text(spec.name, "name", errors, limit=LINE_MAX, required=_("Name the mediation team."))
    place = clean_text(spec.place, "place", errors, limit=LINE_MAX)
    _check_day(spec.established_on, "established_on", errors, today=today)
    if "name" not in errors and isinstance(spec.unit, Unit):
        clash = Team.objects.filter(unit=spec.unit, name__iexact=name)
        if team is not None:
            clash = clash.exclude(pk=team.pk)
        if clash.exists():
            errors["name"] = _("The unit already has a mediation team of this name.")
    return TeamSpec(unit=spec.unit, name=name, place=place, established_on=spec.established_on)


def _check_mediator(spec: MediatorSpec, errors: dict, prefix: str = "") -> MediatorSpec:
    today = _today()
    name = clean_text(
        spec.name, prefix + "name", errors, limit=NAME_MAX, required=_("Write the mediator's full name.")
    )
    if spec.sex not in Sex.values:
        errors[prefix + "sex"] = _("Choose the mediator's sex.")
    _check_day(spec.recognised_on, prefix + "recognised_on", errors, today=today)
    _check_day(spec.trained_on, prefix + "trained_on", errors, today=today)
    trained = bool(spec.trained or spec.trained_on)
    return MediatorSpec(
        name=name,
        sex=spec.sex,
        recognised_on=spec.recognised_on,
        trained=trained,
        trained_on=spec.trained_on,
        leader=bool(spec.leader),
    )


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _make_mediator(team: Team, spec: MediatorSpec) -> Mediator:
    return Mediator(
        team=team,
        name=spec.name,
        sex=spec.sex,
        recognised_on=spec.recognised_on,
        trained=spec.trained,
        trained_on=spec.trained_on,
        leader=spec.leader,
    )


@transaction.atomic
def team_create(*, spec: TeamSpec, mediators: list[MediatorSpec], by: Actor) -> Team:
    """A team with its first mediators (at least three, a woman among them), in one step."""
    errors: dict = {}
    _check_unit(spec.unit, errors)
    _raise(errors)
    _require(by, spec.unit)
    clean = _check_team(spec, errors)
    people = [_check_mediator(person, errors, prefix=f"mediators.{i}.") for i, person in enumerate(mediators)]
    if sum(1 for person in people if person.leader) > 1:
        errors["mediators"] = _("A team has one leader: mark only one mediator as its leader.")
    rule = team_rule([person.sex for person in people])
    if rule:
        errors.setdefault("mediators", rule)
    _raise(errors)
    team = Team.objects.create(
        unit=clean.unit,
        name=clean.name,
        place=clean.place,
        established_on=clean.established_on,
        created_by=recorded_user(by),
    )
    for person in people:
        _make_mediator(team, person).save()
    return team


@transaction.atomic
def team_update(
    *, team: Team, name: str, place: str, established_on: datetime.date | None, by: Actor
) -> Team:
    """Rename the team, change its place or its date of establishment (it stays at its unit)."""
    _require(by, team.unit)
    errors: dict = {}
    clean = _check_team(
        TeamSpec(unit=team.unit, name=name, place=place, established_on=established_on), errors, team=team
    )
    _raise(errors)
    team.name, team.place, team.established_on = clean.name, clean.place, clean.established_on
    team.save()
    SEARCHED.put_many(list(team.cases.all()))  # their search entries name the team
    return team


@transaction.atomic
def team_delete(*, team: Team, by: Actor) -> None:
    """Delete a team and its mediators; the cases it mediated stay in the register, without the team."""
    _require(by, team.unit)
    cases = list(team.cases.all())
    team.delete()
    SEARCHED.put_many(cases)


def _locked_sexes(team: Team, *, without: int | None = None) -> list[str]:
    rows = Mediator.objects.select_for_update().filter(team=team)
    if without is not None:
        rows = rows.exclude(pk=without)
    return list(rows.values_list("sex", flat=True))


@transaction.atomic
def mediator_add(*, team: Team, spec: MediatorSpec, by: Actor) -> Mediator:
    """Add a mediator to a team; one marked leader takes over from the team's leader."""
    _require(by, team.unit)
    errors: dict = {}
    clean = _check_mediator(spec, errors)
    _raise(errors)
    if clean.leader:
        team.mediators.filter(leader=True).update(leader=False)
    mediator = _make_mediator(team, clean)
    mediator.save()
    return mediator


@transaction.atomic
def mediator_update(*, mediator: Mediator, spec: MediatorSpec, by: Actor) -> Mediator:
    """Change a mediator (name, sex, recognition, training, leader); the team must keep its rule."""
    team = mediator.team
    _require(by, team.unit)
    errors: dict = {}
    clean = _check_mediator(spec, errors)
    _raise(errors)
    rule = team_rule([*_locked_sexes(team, without=mediator.pk), clean.sex])
    if rule:
        raise ValidationError({"sex": rule})
    if clean.leader and not mediator.leader:
        team.mediators.filter(leader=True).update(leader=False)
    for name in ("name", "sex", "recognised_on", "trained", "trained_on", "leader"):
        setattr(mediator, name, getattr(clean, name))
    mediator.save()
    return mediator


@transaction.atomic
def mediator_remove(*, mediator: Mediator, by: Actor) -> None:
    """Remove a mediator from the team, unless the team would break its rule (khoản 1 Điều 12)."""
    team = mediator.team
    _require(by, team.unit)
    rule = team_rule(_locked_sexes(team, without=mediator.pk))
    if rule:
        raise ValidationError(
            _("%(name)s cannot be removed. %(rule)s") % {"name": mediator.name, "rule": rule}
        )
    mediator.delete()


# ---------------------------------------------------------------- the register


@dataclass
class CaseSpec:
    unit: Unit
    received_on: datetime.date | None
    parties: str
    content: str
    result: str
    mediators: list[str] = field(default_factory=list)  # empty with a team: the team's mediators
    team: Team | None = None
    agreement: str = ""
    demands: str = ""
    concluded_on: datetime.date | None = None
    notes: str = ""

    @classmethod
    def of(cls, data: Mapping[str, Any], *, mediators: list[str]) -> "CaseSpec":
        """The spec of a form's or an input's checked `data` (its fields by their names)."""
        return cls(
            unit=data["unit"],
            team=data["team"],
            received_on=data["received_on"],
            mediators=mediators,
            parties=data["parties"],
            content=data["content"],
            result=data["result"],
            agreement=data["agreement"],
            demands=data["demands"],
            concluded_on=data["concluded_on"],
            notes=data["notes"],
        )


def _check_case(spec: CaseSpec, errors: dict, *, today: datetime.date) -> dict:
    """What a register line must satisfy (the unit's scope is checked by the caller): the clean values."""
    _check_unit(spec.unit, errors)
    if spec.team is not None and isinstance(spec.unit, Unit) and spec.team.unit_id != spec.unit.pk:
        errors["team"] = _("Choose a mediation team of the unit that received the case.")
    received = spec.received_on
    if not isinstance(received, datetime.date) or isinstance(received, datetime.datetime):
        errors["received_on"] = _("Give the date the case was received.")
        received = None
    elif received > today:
        errors["received_on"] = _("The date cannot be in the future.")
    names = list(spec.mediators or [])
    if not names and spec.team is not None:
        names = list(spec.team.mediators.values_list("name", flat=True))
    refused: dict = {}
    names = [clean_text(name, "mediators", refused, limit=NAME_MAX) for name in names]
    names = [name for name in names if name]
    if refused:
        errors["mediators"] = _("A mediator's name is too long or holds a character that is not allowed.")
    elif not names:
        errors["mediators"] = _("Write the names of the mediators (separated by “;”), or choose the team.")
    parties = clean_text(
        spec.parties, "parties", errors, limit=TEXT_MAX, multiline=True, required=_("Name the parties.")
    )
    content = clean_text(
        spec.content,
        "content",
        errors,
        limit=TEXT_MAX,
        multiline=True,
        required=_("Write the main content of the case."),
    )
    agreement = clean_text(spec.agreement, "agreement", errors, limit=TEXT_MAX, multiline=True)
    demands = clean_text(spec.demands, "demands", errors, limit=TEXT_MAX, multiline=True)
    notes = clean_text(spec.notes, "notes", errors, limit=TEXT_MAX, multiline=True)
    result = spec.result
    concluded = spec.concluded_on
    if result not in Result.values:
        errors["result"] = _("Choose the result: successful, unsuccessful or ongoing.")
    elif result == Result.ONGOING:
        if concluded is not None:
            errors["concluded_on"] = _("A mediation still ongoing has no conclusion date.")
    elif not isinstance(concluded, datetime.date) or isinstance(concluded, datetime.datetime):
        errors["concluded_on"] = _("Give the date the mediation concluded.")
    elif concluded > today:
        errors["concluded_on"] = _("The date cannot be in the future.")
    elif received is not None and concluded < received:
        errors["concluded_on"] = _(
            "The mediation cannot conclude before the case was received (%(day)s)."
        ) % {"day": received.strftime("%d/%m/%Y")}
    if agreement and result in Result.values and result != Result.SUCCESSFUL:
        errors["agreement"] = _("Only a successful mediation records the parties' agreement.")
    if demands and result in Result.values and result != Result.UNSUCCESSFUL:
        errors["demands"] = _("Only an unsuccessful mediation records each party's demands.")
    return {
        "unit": spec.unit,
        "team": spec.team,
        "received_on": received,
        "mediators": "; ".join(names),
        "parties": parties,
        "content": content,
        "result": result,
        "agreement": agreement,
        "demands": demands,
        "concluded_on": concluded if result in CONCLUDED else None,
        "notes": notes,
    }


@transaction.atomic
def case_record(*, spec: CaseSpec, by: Actor) -> Case:
    """Write a line of the register at the unit that received the case."""
    errors: dict = {}
    _check_unit(spec.unit, errors)
    _raise(errors)
    _require(by, spec.unit)
    values = _check_case(spec, errors, today=_today())
    _raise(errors)
    case = Case.objects.create(**values, created_by=recorded_user(by))
    sources.refresh({case.unit_id}, {case.received_on})
    SEARCHED.put(case)
    return case


@transaction.atomic
def case_update(*, case: Case, spec: CaseSpec, by: Actor) -> Case:
    """Correct a line of the register (it may move to another unit of `by`'s scope)."""
    _require(by, case.unit)
    errors: dict = {}
    _check_unit(spec.unit, errors)
    _raise(errors)
    if spec.unit.pk != case.unit_id:
        _require(by, spec.unit)
    values = _check_case(spec, errors, today=_today())
    _raise(errors)
    before = (case.unit_id, case.received_on)
    for name, value in values.items():
        setattr(case, name, value)
    case.save()
    sources.refresh({before[0], case.unit_id}, {before[1], case.received_on})
    SEARCHED.put(case)
    return case


@transaction.atomic
def case_delete(*, case: Case, by: Actor) -> None:
    """Delete a line of the register (recorded in error); the figures follow."""
    _require(by, case.unit)
    unit_id, day = case.unit_id, case.received_on
    SEARCHED.drop(case.pk)
    case.delete()
    sources.refresh({unit_id}, {day})


# ---------------------------------------------------------------- the import


def _result_of(value: object) -> str:
    text = unicodedata.normalize("NFC", cell_text(value)).strip().lower()
    text = text.replace("hoà", "hòa")  # the two ways of placing the accent
    return RESULT_WORDS.get(" ".join(text.split()), "")


def import_rows(*, rows: list[Row], by: Actor) -> int:
    """Import register lines (columns IMPORT_COLUMNS): every row checked, all saved or none.

    Raises ValidationError({line: [messages]}) naming every bad line; returns how many were saved.
    The figures of the periods touched are recomputed once, after all the rows."""
    refuse_unless_any(by)
    today = _today()
    codes = {cell_text(row.cells.get("unit_code")) for row in rows}
    wanted = {code.upper() for code in codes if code}
    found = {
        unit.code.upper(): unit for unit in Unit.objects.annotate(key=Upper("code")).filter(key__in=wanted)
    }
    units = {code: found[code.upper()] for code in codes if code and code.upper() in found}  # "stp" is STP
    problems: dict[int, list[str]] = {}
    cases: list[Case] = []
    user = recorded_user(by)
    for row in rows:
        messages: list[str] = []
        cells = row.cells
        unit = take(messages, row_unit, cells.get("unit_code"), by=by, units=units)
        received = take(
            messages, row_day, cells.get("received_on"), label=_("The date received"), today=today
        )
        concluded = take(
            messages,
            row_day,
            cells.get("concluded_on"),
            label=_("The conclusion date"),
            required=False,
            today=today,
        )
        result = _result_of(cells.get("result"))
        if not result:
            messages.append(
                _("Result “%(value)s” is not one of: Thành, Không thành, Đang hòa giải.")
                % {"value": cell_text(cells.get("result"))}
            )
        if not messages:
            errors: dict = {}
            spec = CaseSpec(
                unit=unit,  # type: ignore[arg-type]
                received_on=received,
                parties=cell_text(cells.get("parties")),
                content=cell_text(cells.get("content")),
                result=result,
                mediators=split_names(cell_text(cells.get("mediators"))),
                concluded_on=concluded,
            )
            values = _check_case(spec, errors, today=today)
            messages += list(errors.values())
            if not errors:
                cases.append(Case(**values, created_by=user))
        if messages:
            problems[row.line] = messages
    if problems:
        raise ValidationError(problems)  # type: ignore[arg-type]  # keyed by line, as registers.py says
    with transaction.atomic():
        Case.objects.bulk_create(cases, batch_size=1000)
        SEARCHED.put_many(cases)
        by_unit: dict[Unit, int] = {}
        for case in cases:
            by_unit[case.unit] = by_unit.get(case.unit, 0) + 1
        for unit, count in by_unit.items():
            record(
                action=AuditEvent.Action.IMPORT,
                model=Case._meta.label_lower,
                object_repr=_("%(count)s lines of the mediation register of %(unit)s imported")
                % {"count": count, "unit": unit.code},
                unit=unit,
                changes={"rows": count},
            )
        sources.refresh({case.unit_id for case in cases}, {case.received_on for case in cases})
    return len(cases)
