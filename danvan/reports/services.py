"""Writes of the reports module: periods, reports and their workflow, values, bulk imports.

Workflow of a report (one unit, one form, one period):

    draft ──submit──▶ submitted ──approve──▶ approved ──lock──▶ locked
      ▲                  │                      │                 │
      └──── returned ◀───┘ return (a reason)    └──── reopen (a reason, audited) ◀┘

The steps, their states and their rules are declared once in `workflow.STEPS`: the unit's own
people enter and submit (REPORT_ENTER at the unit); approving, returning, locking and reopening
belong to the level above (REPORT_APPROVE at a unit strictly above). `report_transition` takes any
step; `report_submit/approve/return/lock/reopen` are its named entries. Only approved values count
in the roll-up, and the roll-up moves in the same transaction as the approval.

Every transition checks the revision the user saw: of two people approving at once, the second
gets a conflict, never a silent overwrite.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.audit.services import record
from danvan.core.errors import Conflict
from danvan.core.text import check_text, clean_text
from danvan.orgs.models import Unit

from . import periods, rollup, selectors, workflow
from .models import (
    DataElement,
    DataValue,
    Period,
    PeriodType,
    PeriodUnit,
    Report,
    ReportForm,
    ReportTransition,
)
from .validation import Problem, ValueParseError, check, parse_whole

S = Report.Status
REASON_MAX = 2000  # why a report was returned or reopened (the pages and the API allow as much)


# ---------------------------------------------------------------- periods


def _require_reports(by: Actor) -> None:
    """Preparing a period is work for whoever may see reports somewhere (or the system)."""
    if not policy.has_any(by, Perm.REPORT_VIEW):
        raise PermissionDenied(_("You may not see reports."))


def period_get(*, code: str, by: Actor, prepare: bool = True) -> Period:
    """The period with this code, created if need be with the dates of its code, and prepared.

    A new period gets its tree, its registry-derived values and an empty roll-up at once. This is
    an explicit action (a POST, a command, a job): pages and API reads only find periods
    (`selectors.period_find`) and never create or prepare one.
    """
    _require_reports(by)
    span = periods.period_span(code)  # a malformed code is refused before any query
    found = Period.objects.filter(code=span.code).first()
    if found is None:
        try:
            with transaction.atomic():
                found = Period.objects.create(
                    code=span.code, period_type=span.period_type, start=span.start, end=span.end
                )
        except IntegrityError:  # created meanwhile by another request
            found = Period.objects.get(code=span.code)
    if prepare and found.sources_refreshed_at is None:
        _prepare(found)
        found.refresh_from_db()
    return found


def period_prepare(*, period: Period, by: Actor) -> None:
    """Build the period's tree, derived values and roll-up, once."""
    _require_reports(by)
    _prepare(period)


def _prepare(period: Period) -> None:
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if locked.sources_refreshed_at is None:
            rollup.rebuild(locked)


def periods_prepare(*, today: datetime.date, by: Actor) -> list[tuple[Period, bool]]:
    """Create and prepare the periods the reporting calendar and the forms need around `today`.

    For each period type in use (the active forms' types, and half-years, which the dashboards
    open on): the current period, the next one (ready the day it starts) and the previous one,
    which stays on the units' due lists and in the reminders (late reports are still accepted)
    and is the period the dashboards open on once a half-year has ended. Run every night
    (`tasks.prepare_periods`) and by `danvan prepare-periods`; preparing is done once per period,
    so running it again changes nothing. Returns each period with whether it was prepared now.
    """
    _require_reports(by)
    start = periods.reporting_start()
    types = set(ReportForm.objects.filter(is_active=True).values_list("period_type", flat=True))
    types.add(PeriodType.SEMIANNUAL)
    codes: list[str] = []
    for period_type in sorted(types):
        current = periods.containing(period_type, today, start)
        codes += [periods.shift(current, -1, start), current, periods.shift(current, 1, start)]
    done = []
    for code in codes:
        before = selectors.period_find(code)
        period = period_get(code=code, by=by)
        done.append((period, not selectors.is_prepared(before)))
    return done


def targets_recount(*, by: Actor) -> None:
    """After a target changes: re-evaluate targets in every prepared period, so met counts follow at once."""
    if not policy.can(by, Perm.CATALOGUE_MANAGE, None):  # the catalogue is the whole tree's
        raise PermissionDenied(_("You may not manage the catalogue of indicators."))
    for period in selectors.prepared_periods():
        rollup.refresh_targets(period)


# ---------------------------------------------------------------- forms and units


def report_open(*, form: ReportForm, unit: Unit, period: Period, by: Actor) -> Report:
    """The unit's report of `form` for `period`, created as a draft the first time."""
    if period.period_type != form.period_type:
        raise ValidationError(
            {
                "period": _("Form “%(form)s” is reported per %(type)s; period %(period)s is not one.")
                % {
                    "form": form.name,
                    "type": form.get_period_type_display().lower(),
                    "period": periods.period_words(period),
                }
            }
        )
    place = rollup.period_unit(period, unit.id)
    if not selectors.form_applies(form, place):
        raise ValidationError(
            {
                "unit": _("%(unit)s does not report on form “%(form)s” for period %(period)s.")
                % {"unit": unit.name, "form": form.name, "period": periods.period_words(period)}
            }
        )
    existing = Report.objects.filter(form=form, unit=unit, period=period).first()
    if existing:
        return existing
    policy.require(by, Perm.REPORT_ENTER, unit)
    try:
        with transaction.atomic():
            report = Report.objects.create(form=form, unit=unit, period=period)
            ReportTransition.objects.create(report=report, to_status=S.DRAFT, by=recorded_user(by))
    except IntegrityError:
        return Report.objects.get(form=form, unit=unit, period=period)
    return report


# ---------------------------------------------------------------- values


@dataclass
class SaveResult:
    report: Report
    saved: dict[str, int | None]
    problems: list[Problem]


def _lock_report(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("unit", "period", "form")
        .get(pk=report.pk)
    )


def _check_revision(current: Report, revision: int | None) -> None:
    if revision is not None and int(revision) != current.revision:
        raise Conflict(
            _(
                "This report was changed by %(who)s meanwhile (it is now “%(status)s”). Reload it and try again."
            )
            % {"who": _who(current), "status": current.get_status_display()}
        )


def _who(report: Report) -> str:
    last = report.transitions.select_related("by").last()
    if last and last.by:
        return last.by.full_name or last.by.username
    return _("someone else")


def values_save(
    *,
    report: Report,
    values: dict[str, object],
    comments: dict[str, str] | None = None,
    by: Actor,
    revision: int | None = None,
) -> SaveResult:
    """Save typed values (element code → text or number; empty clears) and comments.

    Unparseable input is rejected field by field and nothing is saved. Rule failures are
    returned (the grid flags them); they do not prevent saving a draft, only submitting it.
    A draft or returned report is edited by the unit; an approved one only by the level above,
    and then the roll-up follows at once. A submitted or locked report cannot be changed.
    """
    comments = comments or {}
    with transaction.atomic():
        current = _lock_report(report)
        _check_revision(current, revision)
        if current.status in (S.SUBMITTED, S.SIGNED, S.LOCKED):
            raise ValidationError(
                _("The report is “%(status)s”: it cannot be changed.")
                % {"status": current.get_status_display()}
            )
        if current.status == S.APPROVED:
            if not policy.can_above(by, Perm.REPORT_APPROVE, current.unit):
                raise PermissionDenied
        else:
            policy.require(by, Perm.REPORT_ENTER, current.unit)
        elements = {e.code: e for e in selectors.form_elements(current.form)}
        errors, parsed = {}, {}
        for code, raw in values.items():
            element = elements.get(code)
            if element is None:
                errors[code] = _("%(code)s is not on this form.") % {"code": code}
            elif element.is_derived:
                errors[code] = _("%(name)s is computed from the records; it cannot be typed.") % {
                    "name": element.name
                }
            else:
                try:
                    parsed[code] = parse_whole(raw)
                except ValueParseError as error:
                    errors[code] = str(error)
        notes = {}
        for code, text in comments.items():
            if code not in elements:
                errors[code] = _("%(code)s is not on this form.") % {"code": code}
            elif len(text or "") > 2000:
                errors[code] = _("A comment can be at most 2.000 characters.")
            else:
                notes[code] = clean_text(text, code, errors, limit=2000, multiline=True)
        by_category = set(
            DataValue.objects.filter(unit=current.unit, period=current.period, element__code__in=list(parsed))
            .exclude(category="")
            .values_list("element__code", flat=True)
        )
        for code in by_category:
            errors[code] = _("%(name)s was loaded by category; correct it in the category file.") % {
                "name": elements[code].name
            }
        if errors:
            raise ValidationError(errors)

        approved = current.status == S.APPROVED
        with rollup.tracking(current.period, current.unit_id):
            for code, value in parsed.items():
                _store(current, elements[code], value, approved=approved, by=by)
            for code, text in notes.items():
                _comment(current, elements[code], text, by=by)
        if approved and parsed:
            record(
                action="report.corrected",
                instance=current,
                object_repr=_report_name(current),
                unit=current.unit,
                changes={"values": parsed},
            )
        all_values = selectors.report_values(current)
        return SaveResult(current, parsed, check(current.form, all_values))


def _store(report: Report, element: DataElement, value: int | None, *, approved: bool, by: Actor) -> None:
    existing = DataValue.objects.filter(
        unit=report.unit, period=report.period, element=element, category=""
    ).first()
    if value is None:  # an emptied cell: the value (and its comment) goes
        if existing:
            existing.delete()
        return
    if existing:
        if existing.value != value or existing.report_id != report.id:
            existing.value, existing.report, existing.approved = value, report, approved
            existing.source, existing.updated_by = DataValue.Source.ENTERED, recorded_user(by)
            existing.save(update_fields=["value", "report", "approved", "source", "updated_by", "updated_at"])
        return
    DataValue.objects.create(
        unit=report.unit,
        period=report.period,
        element=element,
        value=value,
        report=report,
        approved=approved,
        updated_by=recorded_user(by),
    )


def _comment(report: Report, element: DataElement, text: str, *, by: Actor) -> None:
    updated = DataValue.objects.filter(
        unit=report.unit, period=report.period, element=element, category=""
    ).update(comment=text, updated_by=recorded_user(by), updated_at=timezone.now())
    if not updated and text:
        raise ValidationError({element.code: _("Enter a value before commenting on it.")})


# ---------------------------------------------------------------- workflow


def report_transition(
    *, report: Report, action: str, by: Actor, revision: int | None = None, reason: str = ""
) -> Report:
    """Take the workflow step named `action` (`workflow.STEPS`) on `report`.

    Checks, in this order: the revision the user saw (a stale one is a Conflict), the report's
    state, the step's rule (PermissionDenied), its reason, and for a submission the values.
    The report moves with a conditional UPDATE; the roll-up follows when the values start or stop
    counting. A step that takes no reason ignores one given.
    """
    return _transition(report, workflow.STEP[action], by=by, revision=revision, reason=reason)


def _transition(
    report: Report, step: workflow.Step, *, by: Actor, revision: int | None, reason: str = ""
) -> Report:
    reason = reason.strip() if step.reason else ""
    with transaction.atomic():
        current = _lock_report(report)
        _check_revision(current, revision)
        _check_step(current, step, by=by, revision=revision, reason=reason)

        # Conditional update: whoever moves the revision first wins; the other gets a conflict.
        fields = {"status": step.target, "revision": current.revision + 1, **_stamps(step, by, reason)}
        moved = Report.objects.filter(pk=current.pk, revision=current.revision, status=current.status).update(
            **fields
        )
        if not moved:  # pragma: no cover - select_for_update already serialises on PostgreSQL
            raise Conflict(_("This report was changed meanwhile. Reload it and try again."))

        if (current.status in workflow.COUNTED) != (step.target in workflow.COUNTED):
            with rollup.tracking(current.period, current.unit_id):
                DataValue.objects.filter(report=current).update(approved=step.target in workflow.COUNTED)
        ReportTransition.objects.create(
            report=current,
            from_status=current.status,
            to_status=step.target,
            by=recorded_user(by),
            reason=reason,
        )
        record(
            action=f"report.{step.name}",
            instance=current,
            object_repr=_report_name(current),
            unit=current.unit,
            changes={"status": [current.status, step.target], **({"reason": reason} if reason else {})},
        )
        for name, value in fields.items():  # what the conditional UPDATE wrote, without reading it back
            setattr(current, name, value)
        return current


def _check_step(
    current: Report, step: workflow.Step, *, by: Actor, revision: int | None, reason: str
) -> None:
    """Refuse the step on `current` (already locked) with the reason why; nothing is written."""
    if current.status not in step.starts_from(current.form):
        if (
            current.form.requires_head_signoff
            and current.status == S.SUBMITTED
            and S.SUBMITTED in step.sources
        ):
            raise ValidationError(
                _("The unit head must sign this report off before the level above can act on it.")
            )
        if revision is None and current.status == step.target:
            raise Conflict(
                _("The report is already “%(status)s” (by %(who)s).")
                % {"status": current.get_status_display(), "who": _who(current)}
            )
        raise ValidationError(
            _("A report that is “%(status)s” cannot be given the action “%(action)s”.")
            % {"status": current.get_status_display(), "action": step.verb}
        )
    if not workflow.holds(by, step.rule, current.unit):
        if step.rule is workflow.Rule.UNIT:
            raise PermissionDenied
        if step.rule is workflow.Rule.HEAD:
            raise PermissionDenied(_("Only the head of the report's own unit signs it off or returns it."))
        raise PermissionDenied(_("Only the level above approves, returns, locks or reopens this report."))
    if step.reason and not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    try:
        check_text(reason, limit=REASON_MAX, multiline=True)
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from None
    if step.validates:
        problems = check(current.form, selectors.report_values(current))
        if problems:
            raise ValidationError([p.message for p in problems])
        if not DataValue.objects.filter(report=current).exists():
            raise ValidationError(_("The report has no values yet."))


def _stamps(step: workflow.Step, by: Actor, reason: str) -> dict[str, object]:
    """The report's fields that say who took the step, when, and why it came back."""
    now = timezone.now()
    fields: dict[str, object] = {}
    if step.stamp is workflow.Stamp.SUBMITTED:
        fields.update(
            submitted_at=now, submitted_by=recorded_user(by), return_reason="", signed_at=None, signed_by=None
        )
    elif step.stamp is workflow.Stamp.DECIDED:
        fields.update(decided_at=now, decided_by=recorded_user(by))
    elif step.stamp is workflow.Stamp.SIGNED:
        fields.update(signed_at=now, signed_by=recorded_user(by))
    if step.keeps_reason:
        fields["return_reason"] = reason
    return fields


def _report_name(report: Report) -> str:
    """How the log names a report: "Đảng ủy Sở Tư pháp – 6 tháng đầu năm 2026"."""
    return f"{report.unit.name} – {periods.period_words(report.period)}"


def report_submit(*, report: Report, by: Actor, revision: int | None = None) -> Report:
    return report_transition(report=report, action="submit", by=by, revision=revision)


def report_approve(*, report: Report, by: Actor, revision: int | None = None) -> Report:
    return report_transition(report=report, action="approve", by=by, revision=revision)


def report_return(*, report: Report, by: Actor, reason: str, revision: int | None = None) -> Report:
    return report_transition(report=report, action="return", by=by, revision=revision, reason=reason)


def report_sign(*, report: Report, by: Actor, revision: int | None = None) -> Report:
    """The unit head signs off a submitted report of a form that asks for it; it goes to the level above."""
    return report_transition(report=report, action="sign", by=by, revision=revision)


def report_send_back(*, report: Report, by: Actor, reason: str, revision: int | None = None) -> Report:
    """The unit head returns a submitted report to its reporter, with the reason."""
    return report_transition(report=report, action="send_back", by=by, revision=revision, reason=reason)


def report_lock(*, report: Report, by: Actor, revision: int | None = None) -> Report:
    return report_transition(report=report, action="lock", by=by, revision=revision)


def report_reopen(*, report: Report, by: Actor, reason: str, revision: int | None = None) -> Report:
    return report_transition(report=report, action="reopen", by=by, revision=revision, reason=reason)


# ---------------------------------------------------------------- bulk import


@dataclass(slots=True)
class ImportRow:
    line: int
    unit_code: str
    period: str
    element_code: str
    value: object
    category: str = ""


IMPORT_BATCH_UNITS = 2000  # units whose values are written, and rolled up, together


@transaction.atomic
def values_import(*, rows: list[ImportRow], by: Actor) -> int:
    """Load values as approved data (administrators' bulk loads): all rows or none.

    Errors are collected for every row ({line: [messages]}) and raised together. A value for a
    report that is locked is refused; values of other reports are replaced and approved. The
    periods the file names are created and prepared as they are met (a unit is checked against the
    period's tree), in the import's one transaction: a refused file leaves no period behind.

    Set-based whatever the size of the file: the units, the elements and the units' places in the
    periods are looked up once for all rows, the values written in bulk (one upsert per few thousand
    rows) and the live roll-up moved once per batch of IMPORT_BATCH_UNITS units (`rollup.tracking_units`).
    """
    from danvan.orgs.selectors import units_by_codes

    if not policy.has_any(by, Perm.VALUE_IMPORT):
        raise PermissionDenied(_("You may not import values."))
    errors: dict[int, list[str]] = {}
    elements = {e.code.upper(): e for e in DataElement.objects.all()}
    units = units_by_codes(row.unit_code for row in rows)
    allowed: dict[int, bool] = {}
    # The periods, created and prepared in the order the file names them; a bad code is told once,
    # on the first row that names it.
    period_cache: dict[str, Period | None] = {}
    period_errors: dict[str, tuple[int, str]] = {}
    for row in rows:
        period_code = row.period.strip().upper()
        if period_code not in period_cache:
            try:
                periods.period_span(period_code)
                period_cache[period_code] = period_get(code=period_code, by=by)
            except ValidationError as error:
                period_errors[period_code] = (row.line, error.message_dict["period"][0])
                period_cache[period_code] = None
    places = _places(period_cache.values(), units.values())
    good: list[tuple[ImportRow, Unit, Period, DataElement, int]] = []
    seen: dict[tuple, int] = {}

    def fail(row: ImportRow, message: str) -> None:
        errors.setdefault(row.line, []).append(message)

    for row in rows:
        code = row.unit_code.strip()
        unit = units.get(code.upper())
        if unit is not None and unit.id not in allowed:
            allowed[unit.id] = policy.can(by, Perm.VALUE_IMPORT, unit)
        if unit is None or not allowed[unit.id]:
            fail(row, _("Unit code “%(code)s” is unknown.") % {"code": code})
        element = elements.get(row.element_code.strip().upper())
        if element is None:
            fail(row, _("Data element “%(code)s” is unknown.") % {"code": row.element_code.strip()})
        elif element.is_derived:
            fail(
                row,
                _("%(name)s is computed from the records; it cannot be imported.") % {"name": element.name},
            )
        period_code = row.period.strip().upper()
        if period_errors.get(period_code, (None,))[0] == row.line:
            fail(row, period_errors[period_code][1])
        period = period_cache.get(period_code)
        try:
            value = parse_whole(row.value)
            if value is None:
                fail(row, _("The value is empty."))
        except ValueParseError as error:
            value = None
            fail(row, str(error))
        category = (row.category or "").strip()
        if len(category) > 60:
            fail(row, _("The category can be at most 60 characters."))
        if unit is None or element is None or period is None or value is None or row.line in errors:
            continue
        if (element.min_value is not None and value < element.min_value) or (
            element.max_value is not None and value > element.max_value
        ):
            for problem in _element_problems(element, value):
                fail(row, problem)
            continue
        if (period.id, unit.id) not in places:
            fail(
                row,
                _("%(unit)s did not exist in period %(period)s.")
                % {"unit": unit.code, "period": period.code},
            )
            continue
        key = (unit.id, period.id, element.id, category)
        if key in seen:
            fail(row, _("The same value is given again (line %(line)s).") % {"line": seen[key]})
            continue
        seen[key] = row.line
        good.append((row, unit, period, element, value))

    # A total and its categories for the same element would be counted twice.
    totals = {(u.id, p.id, e.id) for r, u, p, e, v in good if not r.category.strip()}
    for row, unit, period, element, _value in good:
        if row.category.strip() and (unit.id, period.id, element.id) in totals:
            fail(row, _("A value by category cannot be given together with the total of the same element."))
    # Nor may a file bring categories where the database holds the total, or the reverse.
    stored_kinds: set[tuple[int, int, int, bool]] = set()  # (unit, period, element, by category)
    locked: set[tuple[int, int]] = set()
    unit_ids = sorted({u.id for _r, u, *_ in good})
    period_ids = {p.id for _r, _u, p, *_ in good}
    for start in range(0, len(unit_ids), 500):
        chunk = unit_ids[start : start + 500]
        stored_kinds.update(
            (unit_id, period_id, element_id, category != "")
            for unit_id, period_id, element_id, category in DataValue.objects.filter(
                unit_id__in=chunk, period_id__in=period_ids
            ).values_list("unit_id", "period_id", "element_id", "category")
        )
        locked.update(
            Report.objects.filter(status=S.LOCKED, unit_id__in=chunk, period_id__in=period_ids).values_list(
                "unit_id", "period_id"
            )
        )
    for row, unit, period, element, _value in good:
        if (unit.id, period.id, element.id, not row.category.strip()) in stored_kinds:
            fail(row, _("A value by category cannot be given together with the total of the same element."))
    for row, unit, period, _element, _value in good:
        if (unit.id, period.id) in locked:
            fail(
                row,
                _("The report of %(unit)s for %(period)s is locked.")
                % {"unit": unit.code, "period": period.code},
            )
    if errors:
        raise ValidationError({str(line): messages for line, messages in sorted(errors.items())})

    _write_imported(good, by)
    record(
        action="values.imported",
        model="reports.datavalue",
        object_repr=_("%(n)s values") % {"n": len(good)},
    )
    return len(good)


def _places(found_periods, found_units) -> set[tuple[int, int]]:
    """(period id, unit id) of the units that stand in the periods' trees (PeriodUnit), looked up in bulk."""
    period_ids = [period.id for period in found_periods if period is not None]
    unit_ids = sorted({unit.id for unit in found_units})
    places: set[tuple[int, int]] = set()
    for start in range(0, len(unit_ids), 900):
        places.update(
            PeriodUnit.objects.filter(
                period_id__in=period_ids, unit_id__in=unit_ids[start : start + 900]
            ).values_list("period_id", "unit_id")
        )
    return places


def _write_imported(good: list[tuple[ImportRow, Unit, Period, DataElement, int]], by: Actor) -> None:
    """Write the checked values (approved, imported) in bulk, a batch of units of a period at a time,
    the live roll-up following each batch. Existing values keep their report and comment."""
    by_period: dict[int, tuple[Period, dict[int, list]]] = {}
    for item in good:
        period, unit = item[2], item[1]
        by_period.setdefault(period.id, (period, {}))[1].setdefault(unit.id, []).append(item)
    user = recorded_user(by)
    for period, by_unit in by_period.values():
        unit_ids = sorted(by_unit)
        for start in range(0, len(unit_ids), IMPORT_BATCH_UNITS):
            batch = unit_ids[start : start + IMPORT_BATCH_UNITS]
            with rollup.tracking_units(period, batch):
                _upsert_values(
                    [
                        (unit_id, period.id, element.id, row.category.strip(), value)
                        for unit_id in batch
                        for row, _unit, _period, element, value in by_unit[unit_id]
                    ],
                    user_id=user.pk if user is not None else None,
                )


_IMPORTED = "danvan_imported_values"


def _upsert_values(rows: list[tuple[int, int, int, str, int]], *, user_id: int | None) -> None:
    """Write (unit, period, element, category, value) rows as approved imported values: new ones
    added, existing ones replaced (their report and comment kept). PostgreSQL: COPY into a temporary
    table, then one INSERT … ON CONFLICT; SQLite: the same upsert, row by row in one executemany."""
    table = connection.ops.quote_name(DataValue._meta.db_table)
    now = timezone.now()
    columns = "unit_id, period_id, element_id, category, value, comment, approved, source, updated_by_id, updated_at"
    conflict = (
        "ON CONFLICT (unit_id, period_id, element_id, category) DO UPDATE SET value = excluded.value, "
        "approved = excluded.approved, source = excluded.source, updated_by_id = excluded.updated_by_id, "
        "updated_at = excluded.updated_at"
    )
    source = DataValue.Source.IMPORTED.value
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {_IMPORTED} (unit_id bigint, period_id bigint, "
                "element_id bigint, category varchar(60), value bigint) ON COMMIT DROP"
            )
            cursor.execute(f"TRUNCATE {_IMPORTED}")
            with cursor.copy(f"COPY {_IMPORTED} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT unit_id, period_id, element_id, category, value, "
                f"'', TRUE, %s, %s, %s FROM {_IMPORTED} {conflict}",
                [source, user_id, now],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, '', TRUE, %s, %s, %s) {conflict}",
                [(*row, source, user_id, now) for row in rows],
            )


def _element_problems(element: DataElement, value: int) -> list[str]:
    from .validation import element_problems

    return [p.message for p in element_problems(element, value)]
