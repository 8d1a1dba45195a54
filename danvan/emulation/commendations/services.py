"""Writes of commendations: record, correct, delete, import (all or nothing).

Every function checks EMULATION_RECORD at the recipient's unit for `by` first (on a correction, at the
old unit and at the new one), then the input, raising ValidationError (field → Vietnamese message) before
anything is saved, all in one transaction:

- a collective is a unit of the tree (the recipient's unit itself) or a collective named in words under
  it; an individual has a full name (and a position) and their unit;
- the form is one of `Form`; a collective's form (emulation flag, excellent labour collective) never goes
  to an individual and an individual's title (emulation fighter, advanced worker) never to a collective;
- the issuer is a unit of the tree or a body outside it named in words (one of them);
- the decision has its number and a date that is not in the future; the movement's year is not after
  the decision's year nor in the future; the reason is given;
- the decision's file is a PDF checked by core.uploads (`files.decision_rules`);
- what earned it may be linked (by id) to a "Dân vận khéo" model or to an evaluation, not both: a record
  `by` sees (the exemplars' and evaluations' selectors) of the recipient's unit or a unit below it; any
  other id — unknown, hidden or of a foreign unit — is refused with the same message (`_links`).

The report figures of the prepared periods a write touches (old and new unit and decision date) are
recomputed in the same transaction (`sources.refresh`); an import recomputes once.
"""

import datetime
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core import uploads
from danvan.core.dates import parse_day
from danvan.core.tables import cell_text
from danvan.core.text import clean_text
from danvan.emulation.evaluations import selectors as evaluation_selectors
from danvan.emulation.exemplars import selectors as exemplar_selectors
from danvan.orgs.models import Unit
from danvan.orgs.selectors import in_subtree

from . import sources
from .models import COLLECTIVE_ONLY, INDIVIDUAL_ONLY, Commendation, Form, Kind

NAME_MAX = 300
POSITION_MAX = 200
NUMBER_MAX = 100
TEXT_MAX = 10_000
FIRST_YEAR = 1945

#: The columns of an import file: required, then optional (the keys of the cells `import_rows` reads).
IMPORT_COLUMNS = (
    "kind",
    "unit_code",
    "recipient_name",
    "form",
    "decision_number",
    "decision_date",
    "reason",
    "year",
)
IMPORT_OPTIONAL = ("position", "title", "issuer_code", "issuer_name", "earned_for")
#: The heading of each column in the file, as officials name them in their Excel lists (any case).
HEADINGS = {
    "kind": "Đối tượng",
    "unit_code": "Mã đơn vị",
    "recipient_name": "Tên tập thể hoặc cá nhân",
    "form": "Hình thức khen thưởng",
    "decision_number": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "reason": "Lý do",
    "year": "Năm thi đua",
    "position": "Chức vụ",
    "title": "Ghi trong quyết định",
    "issuer_code": "Mã đơn vị ban hành",
    "issuer_name": "Cơ quan ban hành",
    "earned_for": "Thành tích được khen",
}

KIND_WORDS = {
    "tập thể": Kind.COLLECTIVE,
    "collective": Kind.COLLECTIVE,
    "cá nhân": Kind.INDIVIDUAL,
    "individual": Kind.INDIVIDUAL,
}

#: How the import's `form` column may start (case-insensitive); the longest match wins, so "Bằng khen
#: của Thủ tướng Chính phủ" is a certificate of merit and its words are kept as the title.
FORM_WORDS = {
    "giấy khen": Form.CERTIFICATE,
    "bằng khen": Form.MERIT,
    "cờ thi đua": Form.FLAG,
    "chiến sĩ thi đua": Form.FIGHTER,
    "tập thể lao động xuất sắc": Form.EXCELLENT_COLLECTIVE,
    "lao động tiên tiến": Form.ADVANCED_WORKER,
    "huân chương": Form.ORDER,
    "huy chương": Form.MEDAL,
    "kỷ niệm chương": Form.MEDAL,
    "khác": Form.OTHER,
    **{value: Form(value) for value in Form.values},
}


def _today() -> datetime.date:
    return timezone.localdate()


@dataclass
class CommendationSpec:
    kind: str
    unit: Unit | None
    form: str
    decision_number: str
    decision_date: datetime.date | None
    reason: str
    year: int | None
    recipient_name: str = ""
    position: str = ""
    title: str = ""
    issuer_unit: Unit | None = None
    issuer_name: str = ""
    earned_for: str = ""
    #: What earned it, by id: a "Dân vận khéo" model (exemplars.Exemplar) or an evaluation (not both).
    exemplar: int | None = None
    evaluation: int | None = None

    @classmethod
    def of(cls, data: dict[str, Any]) -> "CommendationSpec":
        """The spec from a page's form or the API's serializer: both name the fields alike."""
        return cls(
            kind=data["kind"],
            unit=data["unit"],
            recipient_name=data["recipient_name"],
            position=data["position"],
            form=data["form"],
            title=data["title"],
            issuer_unit=data["issuer_unit"],
            issuer_name=data["issuer_name"],
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            year=data["year"],
            reason=data["reason"],
            earned_for=data["earned_for"],
            exemplar=data.get("exemplar"),
            evaluation=data.get("evaluation"),
        )


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _is_day(value: object) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _check(spec: CommendationSpec, errors: dict, *, today: datetime.date) -> dict[str, Any]:
    """What a commendation must satisfy (the unit's right is checked by the caller): the clean values."""
    kind = spec.kind
    if kind not in Kind.values:
        errors["kind"] = _("Say whether a collective or an individual is commended.")
    if not isinstance(spec.unit, Unit) or spec.unit.pk is None:
        if kind == Kind.INDIVIDUAL:
            errors["unit"] = _("Choose the unit of the person commended.")
        else:
            errors["unit"] = _("Choose the collective's unit (or the unit a named collective belongs to).")
    name = clean_text(spec.recipient_name, "recipient_name", errors, limit=NAME_MAX)
    position = clean_text(spec.position, "position", errors, limit=POSITION_MAX)
    if kind == Kind.INDIVIDUAL and not name and "recipient_name" not in errors:
        errors["recipient_name"] = _("Write the full name of the person commended.")
    if kind == Kind.COLLECTIVE and position:
        errors["position"] = _("Only an individual has a position.")
    form = spec.form
    if form not in Form.values:
        errors["form"] = _("Choose the form of commendation.")
    elif kind == Kind.INDIVIDUAL and form in COLLECTIVE_ONLY:
        errors["form"] = _("%(form)s is given to collectives, not to individuals.") % {
            "form": Form(form).label
        }
    elif kind == Kind.COLLECTIVE and form in INDIVIDUAL_ONLY:
        errors["form"] = _("%(form)s is given to individuals, not to collectives.") % {
            "form": Form(form).label
        }
    title = clean_text(spec.title, "title", errors, limit=NAME_MAX)
    issuer_name = clean_text(spec.issuer_name, "issuer_name", errors, limit=NAME_MAX)
    issuer_unit = spec.issuer_unit
    if issuer_unit is not None and (not isinstance(issuer_unit, Unit) or issuer_unit.pk is None):
        errors["issuer_unit"] = _("Choose the issuing unit.")
    elif issuer_unit is not None and issuer_name:
        errors["issuer_name"] = _("Give the issuing unit or the name of a body outside the tree, not both.")
    elif issuer_unit is None and not issuer_name and "issuer_name" not in errors:
        errors["issuer_name"] = _(
            "Say who issued the decision: a unit of the tree, or a body outside it (e.g. UBND tỉnh)."
        )
    number = clean_text(
        spec.decision_number,
        "decision_number",
        errors,
        limit=NUMBER_MAX,
        required=_("Write the number of the decision (e.g. 125-QĐ/ĐUK)."),
    )
    day = spec.decision_date
    if not _is_day(day):
        errors["decision_date"] = _("Give the date of the decision (dd/mm/yyyy).")
        day = None
    elif day > today:  # type: ignore[operator]
        errors["decision_date"] = _("The date of the decision cannot be in the future.")
    year = spec.year
    if not isinstance(year, int) or isinstance(year, bool):
        errors["year"] = _("Give the year of the movement the commendation rewards.")
        year = None
    elif year < FIRST_YEAR or year > today.year:
        errors["year"] = _("The year of the movement must lie between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR,
            "last": today.year,
        }
    elif day is not None and day.year < year:
        errors["year"] = _(
            "A decision dated %(day)s cannot reward the movement of a later year (%(year)s)."
        ) % {
            "day": day.strftime("%d/%m/%Y"),
            "year": year,
        }
    reason = clean_text(
        spec.reason,
        "reason",
        errors,
        limit=TEXT_MAX,
        multiline=True,
        required=_("Write what the commendation is for."),
    )
    earned_for = clean_text(spec.earned_for, "earned_for", errors, limit=TEXT_MAX, multiline=True)
    return {
        "kind": kind,
        "unit": spec.unit,
        "recipient_name": name,
        "position": position if kind == Kind.INDIVIDUAL else "",
        "form": form,
        "title": title,
        "issuer_unit": issuer_unit,
        "issuer_name": issuer_name if issuer_unit is None else "",
        "decision_number": number,
        "decision_date": day,
        "reason": reason,
        "year": year,
        "earned_for": earned_for,
    }


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _links(spec: CommendationSpec, by: Actor, errors: dict) -> dict[str, Any]:
    """The records that earned the commendation: at most one, seen by `by`, of the recipient's unit or a
    unit in its subtree (a model registered there, an evaluation of it). Unknown, hidden and foreign ids
    get the same message."""
    values: dict[str, Any] = {"exemplar": None, "evaluation": None}
    wanted_exemplar, wanted_evaluation = spec.exemplar, spec.evaluation
    if wanted_exemplar is None and wanted_evaluation is None:
        return values
    if wanted_exemplar is not None and wanted_evaluation is not None:
        errors["evaluation"] = _(
            "Link the commendation to a “Dân vận khéo” model or to an evaluation, not to both."
        )
        return values
    unit = spec.unit
    if not isinstance(unit, Unit) or unit.pk is None:
        return values  # the unit's own message says it
    if wanted_exemplar is not None:
        found = None
        if _is_id(wanted_exemplar):
            seen = exemplar_selectors.exemplars_for(by).select_related("unit")
            found = in_subtree(seen, unit.path, field="unit__path").filter(pk=wanted_exemplar).first()
        if found is None:
            errors["exemplar"] = _(
                "There is no such “Dân vận khéo” model that you may see, of the recipient's unit or a unit below it."
            )
        values["exemplar"] = found
    else:
        found_evaluation = None
        if _is_id(wanted_evaluation):
            seen_evaluations = evaluation_selectors.evaluations_for(by)
            found_evaluation = (
                in_subtree(seen_evaluations, unit.path, field="unit__path")
                .filter(pk=wanted_evaluation)
                .first()
            )
        if found_evaluation is None:
            errors["evaluation"] = _(
                "There is no such evaluation that you may see, of the recipient's unit or a unit below it."
            )
        values["evaluation"] = found_evaluation
    return values


def _require_unit(spec: CommendationSpec, errors: dict) -> None:
    """Refuse a missing unit before the right is asked (the right needs a unit)."""
    if not isinstance(spec.unit, Unit) or spec.unit.pk is None:
        _check(spec, errors, today=_today())
        _raise(errors)


def _store(row: Commendation, upload: uploads.Checked | None) -> uploads.Stored | None:
    if upload is None:
        return None
    stored = uploads.store(row.decision_file, upload)
    row.decision_file_name = stored.name[:150]
    row.decision_file_type = stored.content_type[:100]
    row.decision_file_sha256 = stored.sha256
    return stored


def _save(row: Commendation, stored: uploads.Stored | None, old_file: str, touched: tuple[set, set]) -> None:
    try:
        with transaction.atomic():
            row.save()
            if old_file and old_file != row.decision_file.name:
                uploads.discard_after_commit([Commendation(decision_file=old_file).decision_file])
            sources.refresh(*touched)
    except BaseException:
        if stored is not None:
            uploads.discard([stored])
        raise


def commendation_record(
    *, spec: CommendationSpec, by: Actor, upload: uploads.Checked | None = None
) -> Commendation:
    """Record a commendation at the recipient's unit (with the decision's PDF, optionally)."""
    errors: dict = {}
    _require_unit(spec, errors)
    policy.require(by, Perm.EMULATION_RECORD, spec.unit)
    values = _check(spec, errors, today=_today())
    values.update(_links(spec, by, errors))
    _raise(errors)
    row = Commendation(**values, created_by=recorded_user(by))
    stored = _store(row, upload)
    _save(row, stored, "", ({row.unit_id}, {row.decision_date}))
    return row


def commendation_update(
    *,
    commendation: Commendation,
    spec: CommendationSpec,
    by: Actor,
    upload: uploads.Checked | None = None,
    remove_file: bool = False,
) -> Commendation:
    """Correct a commendation (it may move to another unit where `by` records); `upload` replaces the
    decision's file, `remove_file` removes it."""
    policy.require(by, Perm.EMULATION_RECORD, commendation.unit)
    errors: dict = {}
    _require_unit(spec, errors)
    if spec.unit is not None and spec.unit.pk != commendation.unit_id:
        policy.require(by, Perm.EMULATION_RECORD, spec.unit)
    values = _check(spec, errors, today=_today())
    values.update(_links(spec, by, errors))
    _raise(errors)
    before = (commendation.unit_id, commendation.decision_date)
    old_file = commendation.decision_file.name or ""
    for name, value in values.items():
        setattr(commendation, name, value)
    stored = _store(commendation, upload)
    if stored is None and remove_file:
        commendation.decision_file.name = ""
        commendation.decision_file_name = commendation.decision_file_type = ""
        commendation.decision_file_sha256 = ""
    touched = ({before[0], commendation.unit_id}, {before[1], commendation.decision_date})
    _save(commendation, stored, old_file, touched)
    return commendation


@transaction.atomic
def commendation_delete(*, commendation: Commendation, by: Actor) -> None:
    """Delete a commendation recorded in error (and its file); the figures follow."""
    policy.require(by, Perm.EMULATION_RECORD, commendation.unit)
    unit_id, day = commendation.unit_id, commendation.decision_date
    if commendation.decision_file:
        uploads.discard_after_commit([commendation.decision_file])
    commendation.delete()
    sources.refresh({unit_id}, {day})


# ---------------------------------------------------------------- the import


@dataclass
class ImportRow:
    """A data row of an import file: its line number as the spreadsheet shows it, cells by column name."""

    line: int
    cells: dict[str, Any]


def _words(value: object) -> str:
    text = unicodedata.normalize("NFC", cell_text(value)).strip().lower()
    return " ".join(text.split())


def _kind_of(value: object) -> str:
    return KIND_WORDS.get(_words(value), "")


def _form_of(value: object) -> str:
    """The form a cell names ("Bằng khen của Thủ tướng Chính phủ" → merit), "" when none."""
    text = _words(value)
    for words in sorted(FORM_WORDS, key=len, reverse=True):
        if text == words or text.startswith(words + " "):
            return FORM_WORDS[words]
    return ""


def _day(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return parse_day(cell_text(value))


def _year(value: object) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    text = cell_text(value)
    return int(text) if text.isdecimal() else None


def _units(rows: list[ImportRow]) -> dict[str, Unit]:
    """The units the file names (recipients' and issuers'), one look-up, by upper-case code."""
    wanted = set()
    for row in rows:
        for column in ("unit_code", "issuer_code"):
            code = cell_text(row.cells.get(column)).upper()
            if code:
                wanted.add(code)
    return {unit.key: unit for unit in Unit.objects.annotate(key=Upper("code")).filter(key__in=wanted)}


def import_rows(*, rows: list[ImportRow], by: Actor) -> int:
    """Import commendations (columns IMPORT_COLUMNS, IMPORT_OPTIONAL): every row checked as the form is,
    all saved or none. Raises ValidationError({line: [messages]}) naming every bad line; returns how
    many were saved. The figures of the periods touched are recomputed once."""
    if not policy.has_any(by, Perm.EMULATION_RECORD):
        raise PermissionDenied
    today = _today()
    units = _units(rows)
    problems: dict[int, list[str]] = {}
    made: list[Commendation] = []
    user = recorded_user(by)
    for row in rows:
        cells = row.cells
        messages: list[str] = []
        code = cell_text(cells.get("unit_code"))
        unit = units.get(code.upper()) if code else None
        if not code:
            messages.append(_("The unit code is missing."))
        elif unit is None or not policy.can(by, Perm.EMULATION_RECORD, unit):
            messages.append(_("Unit %(code)s does not exist or is outside your scope.") % {"code": code})
        kind = _kind_of(cells.get("kind"))
        if not kind:
            messages.append(
                _("Recipient “%(value)s” is not one of: Tập thể, Cá nhân.")
                % {"value": cell_text(cells.get("kind"))}
            )
        form_text = cell_text(cells.get("form"))
        form = _form_of(form_text)
        if not form:
            messages.append(
                _(
                    "Form “%(value)s” is not one of: Giấy khen, Bằng khen, Cờ thi đua, Chiến sĩ thi đua, "
                    "Tập thể lao động xuất sắc, Lao động tiên tiến, Huân chương, Huy chương, Khác."
                )
                % {"value": form_text}
            )
        issuer_code = cell_text(cells.get("issuer_code"))
        issuer = units.get(issuer_code.upper()) if issuer_code else None
        if issuer_code and issuer is None:
            messages.append(_("There is no issuing unit with code %(code)s.") % {"code": issuer_code})
        day_text = cell_text(cells.get("decision_date"))
        day = _day(cells.get("decision_date"))
        if day_text and day is None:
            messages.append(
                _("The decision date “%(value)s” is not a date (dd/mm/yyyy).") % {"value": day_text}
            )
        year_text = cell_text(cells.get("year"))
        year = _year(cells.get("year"))
        if year_text and year is None:
            messages.append(_("The year “%(value)s” is not a year (e.g. 2013).") % {"value": year_text})
        if not messages:
            title = cell_text(cells.get("title"))
            if not title and _words(form_text) not in FORM_WORDS:
                title = form_text  # "Bằng khen của Thủ tướng Chính phủ": the decision's own words
            spec = CommendationSpec(
                kind=kind,
                unit=unit,
                form=form,
                decision_number=cell_text(cells.get("decision_number")),
                decision_date=day,
                reason=cell_text(cells.get("reason")),
                year=year,
                recipient_name=cell_text(cells.get("recipient_name")),
                position=cell_text(cells.get("position")),
                title=title,
                issuer_unit=issuer,
                issuer_name=cell_text(cells.get("issuer_name")),
                earned_for=cell_text(cells.get("earned_for")),
            )
            errors: dict = {}
            values = _check(spec, errors, today=today)
            messages += [str(message) for message in errors.values()]
            if not errors:
                made.append(Commendation(**values, created_by=user))
        if messages:
            problems[row.line] = messages
    if problems:
        raise ValidationError(problems)  # type: ignore[arg-type]  # keyed by line
    with transaction.atomic():
        Commendation.objects.bulk_create(made, batch_size=1000)
        by_unit: dict[Unit, int] = {}
        for item in made:
            by_unit[item.unit] = by_unit.get(item.unit, 0) + 1
        for unit, count in by_unit.items():
            record(
                action=AuditEvent.Action.IMPORT,
                model=Commendation._meta.label_lower,
                object_repr=_("%(count)s commendations of %(unit)s imported")
                % {"count": count, "unit": unit.code},
                unit=unit,
                changes={"rows": count},
            )
        sources.refresh({item.unit_id for item in made}, {item.decision_date for item in made})
    return len(made)
