"""Writes of the reception module: register entries, their handling and follow-up, leaders' reception days.

Every function is one transaction: it checks everything first and raises ValidationError (a dict
of field -> Vietnamese message) before anything is saved. Accepting an entry receives a voice case
through `danvan.voice.cases.services.case_receive` in the same transaction, so an entry is never marked
accepted without its case, nor a case left without its entry. Each function checks CASE_HANDLE at the
unit of the register for `by` (as the pages do), then what the register and the law require.

The functions holding the person in plain text are `sensitive_variables`: an error report shows
their variables as stars.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.core.dates import day_text
from danvan.core.text import clean_text, shorten
from danvan.orgs.models import Unit
from danvan.voice.cases import services as cases
from danvan.voice.cases.models import ANONYMOUS_KINDS, Channel, Kind
from danvan.voice.deadlines.models import MAX_YEAR, MIN_YEAR

from . import indexing, privacy
from .models import Entry, Handling, ReceptionDay, UnitSetting

MAX_PEOPLE = cases.MAX_PEOPLE
MAX_REPRESENTATIVES = 5  # Luật Tiếp công dân 2013, Điều 29: at most five representatives
CONTENT_MAX = 10_000
TEXT_MAX = 4_000
NAME_MAX = 150
LINE_MAX = 300
SUBJECT_MAX = 120
PERSON_KEYS = ("name", "address", "id_number", "id_issued_by", "id_issued_on", "representatives")


def _today() -> datetime.date:
    return timezone.localdate()


def _require_handle(by: Actor, unit: Unit) -> None:
    """The register and the reception days of a unit are kept by who holds CASE_HANDLE there."""
    if not policy.can(by, Perm.CASE_HANDLE, unit):
        raise PermissionDenied(
            _("You may not keep the reception register of %(unit)s.") % {"unit": unit.name}
        )


def _require_handle_at(by: Actor, unit: object) -> None:
    """The same for a unit given as input: one that is no unit is left to the checks of the input."""
    if isinstance(unit, Unit) and unit.pk is not None:
        _require_handle(by, unit)


def _day(value, field: str, errors: dict, *, missing: str, future_ok: bool = False) -> None:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        errors[field] = missing
    elif not MIN_YEAR <= value.year <= MAX_YEAR:
        errors[field] = _("The year must be between %(min)s and %(max)s.") % {
            "min": MIN_YEAR,
            "max": MAX_YEAR,
        }
    elif not future_ok and value > _today():
        errors[field] = _("The date cannot be in the future.")


def _unit(unit, errors: dict) -> None:
    if not isinstance(unit, Unit) or unit.pk is None:
        errors["unit"] = _("Choose the unit.")
    elif not unit.is_active:
        errors["unit"] = _("Unit %(code)s has ended: choose a unit that exists today.") % {"code": unit.code}


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _check_handling(handling: str, transfer_to: str, guidance: str, errors: dict) -> tuple[str, str]:
    transfer_to = clean_text(transfer_to, "transfer_to", errors, limit=LINE_MAX)
    guidance = clean_text(guidance, "guidance", errors, limit=TEXT_MAX, multiline=True)
    if handling and handling not in Handling.values:
        errors["handling"] = _(
            "Choose how the submission is handled: accept, return with guidance or transfer."
        )
    elif handling == Handling.TRANSFER and not transfer_to and "transfer_to" not in errors:
        errors["transfer_to"] = _(
            "Name the competent agency, organisation or unit the submission is transferred to."
        )
    elif handling == Handling.RETURN and not guidance and "guidance" not in errors:
        errors["guidance"] = _("Write the guidance given to the citizen (where and how to submit).")
    if handling != Handling.TRANSFER and transfer_to and "transfer_to" not in errors:
        errors["transfer_to"] = _("Only a transferred submission has an agency it was transferred to.")
    return transfer_to, guidance


def _subject(content: str) -> str:
    """The case's subject: the first line of the summary, cut at a word."""
    return shorten(content.strip().splitlines()[0], SUBJECT_MAX)


@sensitive_variables()
def _open_case(entry: Entry, person: dict[str, Any], *, by: Actor) -> None:
    """Receive the entry as a voice case at the same unit (channel: reception desk) and link it."""
    spec = cases.NewCase(
        unit=entry.unit,
        kind=entry.kind,
        channel=Channel.DESK,
        subject=_subject(entry.content),
        content=entry.content,
        received_on=entry.received_on,
        people_count=entry.people_count,
        anonymous=entry.anonymous,
        identity={key: person.get(key, "") for key in ("name", "address", "id_number")},
    )
    case, _code = cases.case_receive(spec=spec, by=by)
    entry.case = case


# ---------------------------------------------------------------- the register


@dataclass
class NewEntry:
    unit: Unit
    received_on: datetime.date
    kind: str
    content: str
    receiver: str
    people_count: int = 1
    anonymous: bool = False
    name: str = ""
    address: str = ""
    id_number: str = ""
    id_issued_on: datetime.date | None = None
    id_issued_by: str = ""
    representatives: list[str] = field(default_factory=list)
    previous_authority: str = ""
    leader_day: ReceptionDay | None = None
    handling: str = ""
    transfer_to: str = ""
    guidance: str = ""
    note: str = ""


@sensitive_variables()
def _check_person(spec: NewEntry, errors: dict) -> dict:
    """The person as it will be sealed; errors for what is missing or wrong."""
    person: dict[str, Any] = {
        "name": clean_text(spec.name, "name", errors, limit=NAME_MAX),
        "address": clean_text(spec.address, "address", errors, limit=LINE_MAX),
        "id_number": clean_text(spec.id_number, "id_number", errors, limit=40),
        "id_issued_by": clean_text(spec.id_issued_by, "id_issued_by", errors, limit=LINE_MAX),
    }
    refused: dict = {}  # one message for the list: which name it was is not said
    names = [
        clean_text(name, "representatives", refused, limit=NAME_MAX) for name in spec.representatives or []
    ]
    names = [name for name in names if name]
    if refused:
        errors["representatives"] = _(
            "A representative's name is too long or holds a character that is not allowed."
        )
    elif len(names) > MAX_REPRESENTATIVES - 1:
        errors["representatives"] = _(
            "A group chooses at most %(max)s representatives (Luật Tiếp công dân 2013, Điều 29)."
        ) % {"max": MAX_REPRESENTATIVES}
    person["representatives"] = names
    if spec.id_issued_on is not None:
        _day(spec.id_issued_on, "id_issued_on", errors, missing=_("Give the issue date as dd/mm/yyyy."))
        if "id_issued_on" not in errors:
            person["id_issued_on"] = spec.id_issued_on.isoformat()
    if (
        (spec.id_issued_on or person["id_issued_by"])
        and not person["id_number"]
        and "id_number" not in errors
    ):
        errors["id_number"] = _("Give the number of the identity document.")
    if spec.anonymous:
        if any(person.get(key) for key in PERSON_KEYS):
            errors["anonymous"] = _("An anonymous entry carries no name, address or identity document.")
        if spec.kind not in ANONYMOUS_KINDS and spec.kind in Kind.values:
            errors["anonymous"] = _(
                "Only feedback and suggestions may be anonymous: complaints, petitions and denunciations "
                "need the citizen's name and address."
            )
        if isinstance(spec.people_count, int) and spec.people_count > 1:
            errors["anonymous"] = _("A group names its representative: it cannot be anonymous.")
        return {}
    if not person["name"] and "name" not in errors:
        errors["name"] = _(
            "Give the citizen's full name (or mark the entry anonymous, for feedback and suggestions)."
        )
    if spec.kind not in ANONYMOUS_KINDS and not person["address"] and "address" not in errors:
        errors["address"] = _("Give the citizen's address.")
    return person


@sensitive_variables("spec", "person")
def _check_entry(spec: NewEntry, errors: dict) -> dict:
    _unit(spec.unit, errors)
    _day(spec.received_on, "received_on", errors, missing=_("Give the date of reception as dd/mm/yyyy."))
    if spec.kind not in Kind.values:
        errors["kind"] = _(
            "Choose the classification: complaint, denunciation, petition, feedback or suggestion."
        )
    if isinstance(spec.people_count, bool) or not isinstance(spec.people_count, int):
        errors["people_count"] = _("The number of people must be a whole number.")
    elif not 1 <= spec.people_count <= MAX_PEOPLE:
        errors["people_count"] = _("The number of people must be between 1 and %(max)s.") % {
            "max": MAX_PEOPLE
        }
    spec.content = clean_text(
        spec.content,
        "content",
        errors,
        limit=CONTENT_MAX,
        required=_("Summarise the content of the matter."),
        multiline=True,
    )
    spec.receiver = clean_text(
        spec.receiver,
        "receiver",
        errors,
        limit=NAME_MAX,
        required=_("Give the name of the person who received the citizen."),
    )
    spec.previous_authority = clean_text(
        spec.previous_authority, "previous_authority", errors, limit=LINE_MAX
    )
    spec.note = clean_text(spec.note, "note", errors, limit=TEXT_MAX, multiline=True)
    person = _check_person(spec, errors)
    if spec.leader_day is not None:
        day = spec.leader_day
        if not isinstance(day, ReceptionDay) or "unit" in errors or day.unit_id != spec.unit.pk:
            errors["leader_day"] = _("Choose a reception day of this unit.")
        elif "received_on" not in errors and day.date != spec.received_on:
            errors["leader_day"] = _(
                "The leader's reception day is on %(date)s, not on the date of reception."
            ) % {"date": day_text(day.date)}
        elif day.held is False:
            errors["leader_day"] = _("That reception day is logged as not held.")
    spec.transfer_to, spec.guidance = _check_handling(spec.handling, spec.transfer_to, spec.guidance, errors)
    return person


def _next_number(unit: Unit, year: int) -> int:
    """The next number of the unit's register for the year; the unit row is locked so two desks never share one."""
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    last = (
        Entry.objects.filter(unit=unit, year=year)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


@sensitive_variables()  # outside the transaction: its frame holds the arguments too
@transaction.atomic
def entry_record(*, spec: NewEntry, by: Actor) -> Entry:
    """Write a line of the register; with the handling "accept", the voice case is received with it."""
    _require_handle_at(by, spec.unit)
    errors: dict = {}
    person = _check_entry(spec, errors)
    _raise(errors)
    entry = Entry(
        unit=spec.unit,
        year=spec.received_on.year,
        number=_next_number(spec.unit, spec.received_on.year),
        received_on=spec.received_on,
        kind=spec.kind,
        people_count=spec.people_count,
        anonymous=spec.anonymous,
        ciphertext=privacy.seal(person),
        identity_protected=spec.kind == Kind.DENUNCIATION,
        content=spec.content,
        previous_authority=spec.previous_authority,
        handling=spec.handling,
        transfer_to=spec.transfer_to,
        guidance=spec.guidance,
        note=spec.note,
        receiver=spec.receiver,
        leader_day=spec.leader_day,
        created_by=recorded_user(by),
    )
    if spec.handling == Handling.ACCEPT:
        _open_case(entry, person, by=by)
    entry.save()
    indexing.put(entry)
    return entry


@transaction.atomic
def entry_handle(
    *, entry: Entry, handling: str, by: Actor, transfer_to: str = "", guidance: str = ""
) -> Entry:
    """Decide how an entry recorded without a decision is handled. The decision is final: it is the register."""
    _require_handle(by, entry.unit)
    entry = Entry.objects.select_for_update().select_related("unit").get(pk=entry.pk)
    errors: dict = {}
    if entry.handling:
        errors["handling"] = _(
            "This entry is already handled (%(handling)s): the register keeps its decision."
        ) % {"handling": Handling(entry.handling).label}
    elif not handling:
        errors["handling"] = _(
            "Choose how the submission is handled: accept, return with guidance or transfer."
        )
    transfer_to, guidance = _check_handling(handling, transfer_to, guidance, errors)
    _raise(errors)
    entry.handling, entry.transfer_to, entry.guidance = handling, transfer_to, guidance
    if handling == Handling.ACCEPT:
        _open_case(entry, privacy.unseal(entry.ciphertext), by=by)
    entry.save()
    indexing.put(entry)
    return entry


@transaction.atomic
def entry_follow_up(*, entry: Entry, result: str, note: str, by: Actor) -> Entry:
    """Write down the result followed up (theo dõi kết quả) and the note."""
    _require_handle(by, entry.unit)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    errors: dict = {}
    result = clean_text(result, "result", errors, limit=TEXT_MAX, multiline=True)
    note = clean_text(note, "note", errors, limit=TEXT_MAX, multiline=True)
    _raise(errors)
    entry.result, entry.note = result, note
    entry.save()
    indexing.put(entry)
    return entry


# ---------------------------------------------------------------- leaders' reception days


@transaction.atomic
def day_plan(
    *, unit: Unit, date: datetime.date, leader_name: str, leader_position: str, place: str, by: Actor
) -> ReceptionDay:
    """Plan a leader's reception day (it may be in the past: planned and logged after the fact)."""
    _require_handle_at(by, unit)
    errors: dict = {}
    _unit(unit, errors)
    _day(date, "date", errors, missing=_("Give the date as dd/mm/yyyy."), future_ok=True)
    leader_name = clean_text(
        leader_name, "leader_name", errors, limit=NAME_MAX, required=_("Give the leader's name.")
    )
    leader_position = clean_text(
        leader_position, "leader_position", errors, limit=NAME_MAX, required=_("Give the leader's position.")
    )
    place = clean_text(place, "place", errors, limit=LINE_MAX, required=_("Give the place of reception."))
    if not errors and ReceptionDay.objects.filter(unit=unit, date=date, leader_name=leader_name).exists():
        errors["date"] = _("%(leader)s already has a reception day on %(date)s.") % {
            "leader": leader_name,
            "date": day_text(date),
        }
    _raise(errors)
    return ReceptionDay.objects.create(
        unit=unit,
        date=date,
        leader_name=leader_name,
        leader_position=leader_position,
        place=place,
        created_by=recorded_user(by),
    )


@transaction.atomic
def day_log(
    *, day: ReceptionDay, held: bool, citizens: int | None, by: Actor, note: str = ""
) -> ReceptionDay:
    """Log whether the day was held and how many citizens were received."""
    _require_handle(by, day.unit)
    day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
    errors: dict = {}
    note = clean_text(note, "note", errors, limit=TEXT_MAX, multiline=True)
    if not isinstance(held, bool):
        errors["held"] = _("Say whether the reception day was held.")
    elif day.date > _today():
        errors["held"] = _("The day of %(date)s has not come yet: log it on the day or after.") % {
            "date": day_text(day.date)
        }
    elif held:
        if isinstance(citizens, bool) or not isinstance(citizens, int):
            errors["citizens"] = _("Give the number of citizens received (0 if nobody came).")
        elif not 0 <= citizens <= MAX_PEOPLE:
            errors["citizens"] = _("The number of citizens must be between 0 and %(max)s.") % {
                "max": MAX_PEOPLE
            }
    else:
        if citizens:
            errors["citizens"] = _("A day that was not held received no citizens.")
        elif day.entries.exists():
            errors["held"] = _("Register entries were received on this day: it was held.")
        if not note and "note" not in errors:
            errors["note"] = _("Say why the reception day was not held.")
    _raise(errors)
    day.held = held
    day.citizens = citizens if held else None
    day.note = note
    day.logged_by = recorded_user(by)
    day.logged_at = timezone.now()
    day.save()
    return day


@transaction.atomic
def day_remove(*, day: ReceptionDay, by: Actor) -> None:
    """Remove a planned day that was not logged and has no entries (a plan entered by mistake)."""
    _require_handle(by, day.unit)
    day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
    if day.held is not None:
        raise ValidationError(_("A logged reception day stays in the record."))
    if day.entries.exists():
        raise ValidationError(_("Register entries point at this reception day: it stays in the record."))
    day.delete()


@transaction.atomic
def setting_save(*, unit: Unit, commune_level: bool, by: Actor) -> UnitSetting:
    """Whether the unit's leader receives citizens at commune level (every week)."""
    _require_handle_at(by, unit)
    errors: dict = {}
    _unit(unit, errors)
    if not isinstance(commune_level, bool):
        errors["commune_level"] = _("Say whether the unit is at commune level.")
    _raise(errors)
    setting, created = UnitSetting.objects.select_for_update().get_or_create(unit=unit)
    if setting.commune_level != commune_level or created:
        setting.commune_level = commune_level
        setting.updated_by = recorded_user(by)
        setting.save()
    return setting
