"""Writes of workplace democracy: the staff conference and the disclosures to staff.

Every function checks ACTIVITY_RECORD at the record's unit for `by` first (a unit out of reach is
refused as unknown), then every field, gathering the problems, and saves in one transaction or not at
all (ValidationError: field → Vietnamese message). The rules (models.py says where they come from):

- a conference reviews one year (one per agency and year), is held neither before that year nor in
  the future; its attendees are at most the staff convened;
- it is valid only when the attendees reach the quorum ⌈2/3 × staff⌉;
- its resolution is adopted only when the conference is valid and more than half of the attendees
  vote for it;
- the resolution's file is a PDF or DOCX checked by the uploads kit.

The imports (`--kind staff_conference`, `--kind disclosure`) read each row's cells, then apply the
same checks as the form (`_check_conference`, `_check_disclosure`), plus one conference per agency and
year within the file; every bad line is named, and nothing is saved unless every row is good.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor
from danvan.accounts.policy import Perm
from danvan.activities.registers import Line, Row, file_units, refuse_unless_any, row_day, row_unit
from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core import uploads
from danvan.core.tables import cell_choice, cell_flag, cell_number, cell_text
from danvan.core.text import clean_text
from danvan.orgs.models import Unit

from .indexing import SEARCHED
from .models import Category, Conference, Disclosure, Form, majority, quorum

MIN_YEAR = 2000
NOTES_MAX = 4_000
TITLE_MAX = 300
CONTENT_MAX = 10_000
PERIOD_MAX = 120
STAFF_MAX = 1_000_000


def _today() -> datetime.date:
    return timezone.localdate()


def _require_record(by: Actor, unit: object, errors: dict) -> None:
    """ACTIVITY_RECORD at the unit: a unit out of reach is refused as if it did not exist."""
    if not isinstance(unit, Unit) or unit.pk is None:
        errors["unit"] = _("Choose the unit.")
        return
    if not policy.can(by, Perm.ACTIVITY_RECORD, unit):
        if policy.can(by, Perm.ACTIVITY_VIEW, unit):
            raise PermissionDenied(_("You may not record the activities of %(unit)s.") % {"unit": unit.name})
        errors["unit"] = _("Unit %(code)s does not exist or is outside your scope.") % {"code": unit.code}
    elif not unit.is_active:
        errors["unit"] = _("Unit %(code)s has ended: choose a unit that exists today.") % {"code": unit.code}


def _day(value: object, field: str, errors: dict, *, missing: str) -> None:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        errors[field] = missing
    elif value.year < MIN_YEAR:
        errors[field] = _("The date must be in %(year)s or later.") % {"year": MIN_YEAR}
    elif value > _today():
        errors[field] = _("The date cannot be in the future.")


def _count(value: object, field: str, errors: dict, *, missing: str, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        errors[field] = missing
        return 0
    if value < minimum or value > STAFF_MAX:
        errors[field] = _("Enter a whole number between %(min)s and %(max)s.") % {
            "min": minimum,
            "max": f"{STAFF_MAX:,}".replace(",", "."),
        }
        return 0
    return value


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------- the staff conference


# What a conference and a disclosure say, by name (a form's initial, an API's partial change).
CONFERENCE_FIELDS = (
    "unit",
    "year",
    "held_on",
    "staff_count",
    "attendees",
    "valid",
    "resolution_adopted",
    "votes_for",
    "notes",
)
DISCLOSURE_FIELDS = ("unit", "category", "title", "content", "disclosed_on", "form", "period")


@dataclass
class ConferenceSpec:
    unit: Unit
    year: int
    held_on: datetime.date
    staff_count: int
    attendees: int
    valid: bool = False
    resolution_adopted: bool = False
    votes_for: int | None = None
    notes: str = ""


def _check_conference(spec: ConferenceSpec, conference: Conference | None, errors: dict) -> str:
    today = _today()
    if not isinstance(spec.year, int) or not MIN_YEAR <= spec.year <= today.year:
        errors["year"] = _("The year reviewed must be between %(min)s and %(max)s.") % {
            "min": MIN_YEAR,
            "max": today.year,
        }
    _day(spec.held_on, "held_on", errors, missing=_("Enter the date the conference was held."))
    if "year" not in errors and "held_on" not in errors and spec.held_on.year < spec.year:
        errors["held_on"] = _("A conference reviewing %(year)s cannot be held before that year.") % {
            "year": spec.year
        }
    staff = _count(spec.staff_count, "staff_count", errors, missing=_("Enter the staff count."), minimum=1)
    attendees = _count(spec.attendees, "attendees", errors, missing=_("Enter the number of attendees."))
    if staff and "attendees" not in errors and attendees > staff:
        errors["attendees"] = _(
            "The attendees (%(attendees)s) cannot outnumber the staff convened (%(staff)s)."
        ) % {
            "attendees": attendees,
            "staff": staff,
        }
    counts_ok = staff and not {"staff_count", "attendees"} & set(errors)
    if spec.valid and counts_ok and attendees < quorum(staff):
        errors["valid"] = _(
            "The conference is not valid: %(attendees)s of %(staff)s attended, and at least two thirds "
            "(%(quorum)s) must attend."
        ) % {"attendees": attendees, "staff": staff, "quorum": quorum(staff)}
    votes = spec.votes_for
    if votes is not None and (not isinstance(votes, int) or isinstance(votes, bool) or votes < 0):
        errors["votes_for"] = _("Enter the votes for the resolution as a whole number.")
    elif votes is not None and counts_ok and votes > attendees:
        errors["votes_for"] = _(
            "The votes for (%(votes)s) cannot outnumber the attendees (%(attendees)s)."
        ) % {
            "votes": votes,
            "attendees": attendees,
        }
    if spec.resolution_adopted and "votes_for" not in errors:
        if not spec.valid:
            errors["resolution_adopted"] = _("Only a valid conference adopts a resolution.")
        elif votes is None:
            errors["votes_for"] = _("Enter the votes for the resolution.")
        elif counts_ok and votes < majority(attendees):
            errors["resolution_adopted"] = _(
                "The resolution is not adopted: %(votes)s of %(attendees)s attendees voted for it, and "
                "more than half (%(majority)s) must."
            ) % {"votes": votes, "attendees": attendees, "majority": majority(attendees)}
    notes = clean_text(spec.notes, "notes", errors, limit=NOTES_MAX, multiline=True)
    if "unit" not in errors and "year" not in errors:
        others = Conference.objects.filter(unit=spec.unit, year=spec.year)
        if conference is not None:
            others = others.exclude(pk=conference.pk)
        if others.exists():
            errors["year"] = _("The conference of %(unit)s reviewing %(year)s is already recorded.") % {
                "unit": spec.unit.name,
                "year": spec.year,
            }
    return notes


def conference_save(
    *,
    spec: ConferenceSpec,
    by: Actor,
    conference: Conference | None = None,
    upload: uploads.Checked | None = None,
    remove_file: bool = False,
) -> Conference:
    """Record a conference (or change `conference`); `upload` replaces its resolution file."""
    errors: dict = {}
    if conference is not None and not policy.can(by, Perm.ACTIVITY_RECORD, conference.unit):
        raise PermissionDenied
    _require_record(by, spec.unit, errors)
    notes = _check_conference(spec, conference, errors)
    if upload is not None and (not spec.resolution_adopted or "resolution_adopted" in errors):
        errors.setdefault("resolution_file", _("Attach the file of an adopted resolution only."))
    _raise(errors)
    row = conference or Conference()
    old_file = row.resolution_file.name if row.pk else ""
    row.unit, row.year, row.held_on = spec.unit, spec.year, spec.held_on
    row.staff_count, row.attendees = spec.staff_count, spec.attendees
    row.valid, row.resolution_adopted = spec.valid, spec.resolution_adopted
    row.votes_for, row.notes = spec.votes_for, notes
    stored = None
    if upload is not None:
        stored = uploads.store(row.resolution_file, upload)
        row.resolution_name = stored.name[:150]
        row.resolution_type = stored.content_type[:100]
        row.resolution_sha256 = stored.sha256
    elif remove_file or not spec.resolution_adopted:
        row.resolution_file.name = ""
        row.resolution_name = row.resolution_type = row.resolution_sha256 = ""
    try:
        with transaction.atomic():
            row.save()
            SEARCHED.put(row)
            if old_file and old_file != row.resolution_file.name:
                replaced = Conference(resolution_file=old_file)
                uploads.discard_after_commit([replaced.resolution_file])
    except BaseException:
        if stored is not None:
            uploads.discard([stored])
        raise
    return row


def conference_delete(*, conference: Conference, by: Actor) -> None:
    policy.require(by, Perm.ACTIVITY_RECORD, conference.unit)
    with transaction.atomic():
        SEARCHED.drop(conference.pk)
        conference.delete()
        if conference.resolution_file:
            uploads.discard_after_commit([conference.resolution_file])


# ---------------------------------------------------------------- disclosures


@dataclass
class DisclosureSpec:
    unit: Unit
    category: str
    title: str
    disclosed_on: datetime.date
    form: str
    content: str = ""
    period: str = ""


def _check_disclosure(spec: DisclosureSpec, errors: dict) -> tuple[str, str, str]:
    """Every field of a disclosure but its unit; the cleaned title, content and period."""
    if spec.category not in Category.values:
        errors["category"] = _("Choose what was disclosed.")
    if spec.form not in Form.values:
        errors["form"] = _("Choose how it was disclosed.")
    title = clean_text(spec.title, "title", errors, limit=TITLE_MAX, required=_("Enter the title."))
    content = clean_text(spec.content, "content", errors, limit=CONTENT_MAX, multiline=True)
    period = clean_text(spec.period, "period", errors, limit=PERIOD_MAX)
    _day(spec.disclosed_on, "disclosed_on", errors, missing=_("Enter the date of the disclosure."))
    return title, content, period


def disclosure_save(*, spec: DisclosureSpec, by: Actor, disclosure: Disclosure | None = None) -> Disclosure:
    """Record a disclosure to the staff (or change `disclosure`)."""
    errors: dict = {}
    if disclosure is not None and not policy.can(by, Perm.ACTIVITY_RECORD, disclosure.unit):
        raise PermissionDenied
    _require_record(by, spec.unit, errors)
    title, content, period = _check_disclosure(spec, errors)
    _raise(errors)
    row = disclosure or Disclosure()
    row.unit, row.category, row.title, row.content = spec.unit, spec.category, title, content
    row.disclosed_on, row.form, row.period = spec.disclosed_on, spec.form, period
    with transaction.atomic():
        row.save()
    return row


def disclosure_delete(*, disclosure: Disclosure, by: Actor) -> None:
    policy.require(by, Perm.ACTIVITY_RECORD, disclosure.unit)
    with transaction.atomic():
        disclosure.delete()


# ---------------------------------------------------------------- the imports

CONFERENCE_COLUMNS = ("unit_code", "year", "held_on", "staff_count", "attendees")
CONFERENCE_OPTIONAL = ("resolution_adopted", "votes_for", "valid", "notes")
DISCLOSURE_COLUMNS = ("unit_code", "category", "title", "disclosed_on", "form")
DISCLOSURE_OPTIONAL = ("period_covered", "content")


# A yes/no cell, as its search key (any case, accents or not): có/không, x/empty, yes/no, 1/0.
def _audit_import(made: list[Any], model: type[models.Model], what: str) -> None:
    """One IMPORT event per unit (bulk_create sends no signal to the audit log)."""
    by_unit: dict[Unit, int] = {}
    for item in made:
        by_unit[item.unit] = by_unit.get(item.unit, 0) + 1
    for unit, count in by_unit.items():
        record(
            action=AuditEvent.Action.IMPORT,
            model=model._meta.label_lower,
            object_repr=what % {"count": count, "unit": unit.code},
            unit=unit,
            changes={"rows": count},
        )


def conferences_import(*, rows: list[Row], by: Actor) -> int:
    """Record the staff conferences of an import file (CONFERENCE_COLUMNS, CONFERENCE_OPTIONAL): every
    row checked as the form is, one conference per agency and year (in the register and in the file),
    all saved or none. `valid` left empty is reckoned from the counts (the quorum).

    Raises ValidationError({line: [messages]}) naming every bad row; returns how many were saved."""
    refuse_unless_any(by)
    units = file_units(rows)
    today = _today()
    problems: dict[int, list[str]] = {}
    made: list[Conference] = []
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        cells, line = row.cells, Line()
        unit = line.take("unit", row_unit, cells.get("unit_code"), by=by, units=units)
        year = line.take("year", cell_number, cells.get("year"), label=_("Year reviewed"), required=True)
        held_on = line.take("held_on", row_day, cells.get("held_on"), label=_("Date held"), today=today)
        staff = line.take(
            "staff_count", cell_number, cells.get("staff_count"), label=_("Staff convened"), required=True
        )
        attendees = line.take(
            "attendees", cell_number, cells.get("attendees"), label=_("Attendees"), required=True
        )
        votes = line.take(
            "votes_for", cell_number, cells.get("votes_for"), label=_("Votes for the resolution")
        )
        adopted = line.take(
            "resolution_adopted",
            cell_flag,
            cells.get("resolution_adopted"),
            label=capfirst(_("resolution adopted")),
        )
        valid = line.take("valid", cell_flag, cells.get("valid"), label=_("Valid"))
        if valid is None and isinstance(staff, int) and isinstance(attendees, int):
            valid = attendees >= quorum(staff)  # not stated: valid when the quorum was reached
        spec = ConferenceSpec(
            unit=unit,
            year=year,
            held_on=held_on,
            staff_count=staff,
            attendees=attendees,
            valid=bool(valid),
            resolution_adopted=bool(adopted),
            votes_for=votes,
            notes=cell_text(cells.get("notes")),
        )
        errors: dict = {}
        _require_record(by, unit, errors)
        notes = _check_conference(spec, None, errors)
        line.service(errors)
        if unit is not None and not {"unit", "year"} & (line.failed | set(errors)):
            first = seen.setdefault((unit.pk, year), row.line)
            if first != row.line:
                line.problems.append(
                    _("The conference of %(unit)s reviewing %(year)s is already on row %(row)s of the file.")
                    % {"unit": unit.name, "year": year, "row": first}
                )
        if line.problems:
            problems[row.line] = line.problems
        else:
            made.append(
                Conference(
                    unit=unit,
                    year=year,
                    held_on=held_on,
                    staff_count=staff,
                    attendees=attendees,
                    valid=spec.valid,
                    resolution_adopted=spec.resolution_adopted,
                    votes_for=votes,
                    notes=notes,
                )
            )
    if problems:
        raise ValidationError(problems)  # type: ignore[arg-type]  # keyed by line, as registers.py says
    with transaction.atomic():
        Conference.objects.bulk_create(made, batch_size=1000)
        SEARCHED.put_many(made)
        _audit_import(made, Conference, _("%(count)s staff conferences of %(unit)s imported"))
    return len(made)


def disclosures_import(*, rows: list[Row], by: Actor) -> int:
    """Record the disclosures to staff of an import file (DISCLOSURE_COLUMNS, DISCLOSURE_OPTIONAL):
    `category` and `form` written as their labels or codes; every row checked as the form is, all
    saved or none.

    Raises ValidationError({line: [messages]}) naming every bad row; returns how many were saved."""
    refuse_unless_any(by)
    units = file_units(rows)
    today = _today()
    problems: dict[int, list[str]] = {}
    made: list[Disclosure] = []
    for row in rows:
        cells, line = row.cells, Line()
        unit = line.take("unit", row_unit, cells.get("unit_code"), by=by, units=units)
        category = line.take(
            "category", cell_choice, cells.get("category"), choices=Category, label=_("What was disclosed")
        )
        form = line.take("form", cell_choice, cells.get("form"), choices=Form, label=_("Form of disclosure"))
        disclosed_on = line.take(
            "disclosed_on", row_day, cells.get("disclosed_on"), label=_("Date disclosed"), today=today
        )
        spec = DisclosureSpec(
            unit=unit,
            category=category or "",
            title=cell_text(cells.get("title")),
            disclosed_on=disclosed_on,
            form=form or "",
            content=cell_text(cells.get("content")),
            period=cell_text(cells.get("period_covered")),
        )
        errors: dict = {}
        _require_record(by, unit, errors)
        title, content, period = _check_disclosure(spec, errors)
        line.service(errors)
        if line.problems:
            problems[row.line] = line.problems
        else:
            made.append(
                Disclosure(
                    unit=unit,
                    category=spec.category,
                    title=title,
                    content=content,
                    disclosed_on=disclosed_on,
                    form=spec.form,
                    period=period,
                )
            )
    if problems:
        raise ValidationError(problems)  # type: ignore[arg-type]  # keyed by line, as registers.py says
    with transaction.atomic():
        Disclosure.objects.bulk_create(made, batch_size=1000)
        _audit_import(made, Disclosure, _("%(count)s disclosures to staff of %(unit)s imported"))
    return len(made)
