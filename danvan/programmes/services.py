"""Writes of the action programmes: each function one transaction, validated before anything is saved.

The views ask the policy (DOCUMENT_VIEW to see, DOCUMENT_MANAGE to write); the services check what the
data must satisfy: a lead and coordinating units inside the programme unit's subtree, a due rule with a
possible day, evidence files of an accepted type and size, links that are web addresses.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.actors import Actor, recorded_user
from danvan.accounts.policy import Perm
from danvan.core import uploads
from danvan.core.dates import day_text
from danvan.core.text import clean_text, validate_text
from danvan.directives.models import Document
from danvan.orgs.models import Unit

from . import indexing, schedule, selectors, specs
from .models import DueRule, Occurrence, Programme, ProgressUpdate, RelativeBase, State, Task, TaskKind

TEXT_MAX = 5000
LINKS_MAX = 10
WINDOW_YEARS = 20  # dates of a programme: within 20 years of its start


# ---------------------------------------------------------------- units


def _in_tree(root: Unit, unit: Unit) -> bool:
    return unit.path.startswith(root.path)


# ---------------------------------------------------------------- due rules


def _relative_base(spec: specs.TaskSpec) -> str:
    if spec.relative_base:
        return spec.relative_base
    return RelativeBase.TASK if spec.relative_task is not None else RelativeBase.DATE


def _number(task: Task) -> str:
    return f"{task.order}" if task.order else f"#{task.pk}"


def _check_relative(
    programme: Programme, spec: specs.TaskSpec, task: Task | None, errors: dict[str, str]
) -> None:
    base = _relative_base(spec)
    if base not in RelativeBase.values:
        errors["relative_base"] = _("Choose what the days are counted from.")
        return
    if spec.relative_days is None:
        errors["relative_days"] = _("Give the number of days after that date.")
    elif not 0 < spec.relative_days <= 3660:
        errors["relative_days"] = _("The number of days must be between 1 and 3660.")
    other = spec.relative_task
    if base == RelativeBase.DATE:
        if spec.relative_to is None:
            errors["relative_to"] = _("Give the date counted from.")
        elif not _in_window(programme, spec.relative_to):
            errors["relative_to"] = _window_error(programme, spec.relative_to)
    elif base == RelativeBase.DOCUMENT and not programme.document_id:
        errors["relative_base"] = _("This programme has no document: count from another date.")
    elif base == RelativeBase.TASK:
        if other is None:
            errors["relative_task"] = _("Choose the task whose deadline is counted from.")
        elif other.programme_id != programme.pk:
            errors["relative_task"] = _("Choose a task of this programme.")
        elif task is not None and other.pk == task.pk:
            errors["relative_task"] = _("A task cannot count its deadline from itself.")
        else:
            seen: set[int] = set()
            current: Task | None = other
            while current is not None and len(seen) <= schedule.CHAIN_MAX:
                if task is not None and current.pk == task.pk:
                    errors["relative_task"] = _(
                        "Task %(number)s already counts its deadline from this one: choose another task."
                    ) % {"number": _number(other)}
                    return
                seen.add(current.pk)
                current = current.relative_task if current.relative_base == RelativeBase.TASK else None
            if (
                other.rule in schedule.UNDATED
                or other.rule in schedule.RECURRING
                or schedule.due_dates(other) == [None]
            ):
                errors["relative_task"] = _(
                    "Task %(number)s has no single deadline to count from: choose a task with one date."
                ) % {"number": _number(other)}
    start = schedule.base_date(programme, base, day=spec.relative_to, other=other)
    if errors or start is None or spec.relative_days is None:  # checked above: only errors leave no date
        return
    try:
        due = start + datetime.timedelta(days=spec.relative_days)
    except OverflowError:
        due = datetime.date.max
    if not _in_window(programme, due):
        errors["relative_days"] = _window_error(programme, due)
    elif due < programme.starts_on:
        errors["relative_days"] = _(
            "Counted this way the deadline is %(date)s, before the programme starts (%(start)s)."
        ) % {"date": day_text(due), "start": day_text(programme.starts_on)}


def _in_window(programme: Programme, day: datetime.date) -> bool:
    start = programme.starts_on
    first, last = max(1, start.year - WINDOW_YEARS), min(9999, start.year + WINDOW_YEARS)
    return datetime.date(first, 1, 1) <= day <= datetime.date(last, 12, 31)


def _window_error(programme: Programme, day: datetime.date) -> str:
    return _(
        "The date %(date)s is too far from the programme's start (%(start)s): at most %(years)s years."
    ) % {
        "date": day_text(day),
        "start": day_text(programme.starts_on),
        "years": WINDOW_YEARS,
    }


def _check_task(programme: Programme, spec: specs.TaskSpec, task: Task | None = None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    text = clean_text(
        spec.text, "text", errors, limit=TEXT_MAX, required=_("Write what the task is."), multiline=True
    )
    if spec.lead is not None and not _in_tree(programme.unit, spec.lead):
        errors["lead"] = _("The lead unit “%(unit)s” is not within %(root)s: choose a unit of its tree.") % {
            "unit": spec.lead.name,
            "root": programme.unit.name,
        }
    outside = [unit.name for unit in spec.coordinating if not _in_tree(programme.unit, unit)]
    if outside:
        errors["coordinating"] = _("These coordinating units are not within %(root)s: %(units)s.") % {
            "root": programme.unit.name,
            "units": ", ".join(outside),
        }
    if spec.rule not in DueRule.values:
        errors["rule"] = _("Choose a due rule.")
    elif spec.rule == DueRule.FIXED:
        if spec.due_on is None:
            errors["due_on"] = _("Give the due date.")
        elif not _in_window(programme, spec.due_on):
            errors["due_on"] = _window_error(programme, spec.due_on)
        elif spec.due_on < programme.starts_on:
            errors["due_on"] = _("The due date %(date)s is before the programme starts (%(start)s).") % {
                "date": day_text(spec.due_on),
                "start": day_text(programme.starts_on),
            }
    elif spec.rule in (DueRule.ANNUAL, DueRule.SEMIANNUAL):
        if spec.day is None or spec.month is None:
            errors["day"] = _("Give the day and month of the deadline (for example 15/12).")
        elif not schedule.valid_day(spec.day, spec.month):
            errors["day"] = _(
                "%(day)s/%(month)s is not a day that exists every year: choose another day."
            ) % {
                "day": f"{spec.day:02d}",
                "month": f"{spec.month:02d}",
            }
        elif spec.rule == DueRule.SEMIANNUAL and not schedule.valid_day(spec.day, (spec.month + 5) % 12 + 1):
            # Six months on, the same day must exist every year too: 31/10 has no 31/04, 30/08 no 30/02.
            errors["day"] = _(
                "%(day)s/%(month)s is not a day that exists every year: choose another day."
            ) % {
                "day": f"{spec.day:02d}",
                "month": f"{(spec.month + 5) % 12 + 1:02d}",
            }
    elif spec.rule == DueRule.RELATIVE:
        _check_relative(programme, spec, task, errors)
    if task is not None and spec.rule not in (DueRule.FIXED, DueRule.RELATIVE):
        dependents = sorted(_number(other) for other in task.dependents.all())
        if dependents:
            errors["rule"] = _(
                "Tasks %(numbers)s count their deadline from this one: it must keep a single date."
            ) % {"numbers": ", ".join(dependents)}
    if errors:
        raise ValidationError(errors)
    values: dict[str, Any] = {
        "text": text,
        "lead": spec.lead,
        "lead_text": (spec.lead_text or "")[:300],
        "coordinating_text": [str(item)[:300] for item in spec.coordinating_text][:30],
        "kind": spec.kind if spec.kind in TaskKind.values else TaskKind.TASK,
        "percent": spec.percent,
        "rule": spec.rule,
        "due_on": None,
        "day": None,
        "month": None,
        "relative_base": RelativeBase.DATE,
        "relative_to": None,
        "relative_task": None,
        "relative_days": None,
    }
    if spec.rule == DueRule.FIXED:
        values["due_on"] = spec.due_on
    elif spec.rule in (DueRule.ANNUAL, DueRule.SEMIANNUAL):
        values.update(day=spec.day, month=spec.month)
    elif spec.rule == DueRule.RELATIVE:
        base = _relative_base(spec)
        values.update(relative_base=base, relative_days=spec.relative_days)
        if base == RelativeBase.DATE:
            values["relative_to"] = spec.relative_to
        elif base == RelativeBase.TASK:
            values["relative_task"] = spec.relative_task
    return values


def occurrences_generate(*, task: Task, by: Actor, until: datetime.date | None = None) -> int:
    """Create the occurrences `task`'s rule calls for and are missing; drop untouched ones it no longer does.

    Idempotent: running it again creates nothing. Occurrences with progress reported are kept.
    Returns how many were created. Needs DOCUMENT_MANAGE at the programme's unit.
    """
    _require_manage(by, task.programme.unit)
    with transaction.atomic():
        return _generate(task, until)


def _require_manage(by: Actor, unit: Unit) -> None:
    if not policy.can(by, Perm.DOCUMENT_MANAGE, unit):
        raise PermissionDenied(
            _("You may not manage the action programmes of %(unit)s.") % {"unit": unit.name}
        )


def _generate(task: Task, until: datetime.date | None = None) -> int:
    """Make the task's occurrences those its rule wants. An occurrence the rule no longer wants keeps the
    work reported on it by moving to a wanted deadline that has none yet (a task pre-filled without a
    deadline and done before the officer set one is done for that deadline, counted once, on time or
    late by its date); an untouched one is deleted."""
    wanted = schedule.due_dates(task, until)
    existing = {occurrence.due_on: occurrence for occurrence in task.occurrences.all()}
    unwanted = [
        occurrence
        for day, occurrence in existing.items()
        if day not in wanted and (until is None or day is None or day <= until)
    ]
    worked = [o for o in unwanted if o.state != State.NOT_STARTED or o.updates.exists()]
    stale = [o.pk for o in unwanted if o not in worked]
    if stale:
        Occurrence.objects.filter(pk__in=stale).delete()
    free = [day for day in wanted if day not in existing]
    for occurrence in sorted(worked, key=lambda o: (o.due_on is not None, o.due_on or datetime.date.min)):
        if not free:
            break
        occurrence.due_on = free.pop(0)
        occurrence.save(update_fields=["due_on", "updated_at"])
    missing = [Occurrence(task=task, due_on=day) for day in free]
    Occurrence.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def occurrences_extend(*, by: Actor, until: datetime.date | None = None) -> int:
    """Daily: recurring tasks get their occurrences up to the horizon (every programme: a right at a root)."""
    if not policy.can(by, Perm.DOCUMENT_MANAGE, None):
        raise PermissionDenied(_("Only the installation extends the deadlines of every programme."))
    created = 0
    for found in Task.objects.filter(rule__in=schedule.RECURRING).select_related("programme"):
        with transaction.atomic():
            task = Task.objects.select_for_update().select_related("programme").filter(pk=found.pk).first()
            if task is not None:  # deleted meanwhile
                created += _generate(task, until)
    return created


# ---------------------------------------------------------------- programmes and tasks


def _title_of(document: Document) -> str:
    return f"{_('Action programme')}: {document.number_symbol} — {document.subject}"[:300]


def _starts_on(document: Document | None, starts_on: datetime.date | None) -> datetime.date:
    """The programme's first day: the day it is created, or a day chosen from the document's date on
    (and within a year from today): a programme never starts with deadlines already behind it."""
    starts_on = starts_on or schedule.today()
    if document is not None and starts_on < document.issued_on:
        raise ValidationError(
            {
                "starts_on": _("The programme cannot start before the document's date (%(date)s).")
                % {"date": day_text(document.issued_on)}
            }
        )
    latest = schedule.today() + datetime.timedelta(days=366)
    if starts_on > latest:
        raise ValidationError(
            {"starts_on": _("The programme must start by %(date)s.") % {"date": day_text(latest)}}
        )
    return starts_on


def programme_create(
    *,
    document: Document,
    unit: Unit | None = None,
    title: str = "",
    by: Actor,
    starts_on: datetime.date | None = None,
) -> Programme:
    """An action programme of `unit` (the document's by default) pre-filled from the document's text.

    It starts on `starts_on` (today by default; not before the document's date). Recurring tasks get
    their occurrences from the start on; a date the text gives that is already before the start (an old
    document's "trước ngày 30/9/2014") is not made a deadline: the task is created without one, for the
    user to set, rather than overdue the moment it exists.
    """
    unit = unit or document.unit
    _require_manage(by, unit)
    errors: dict[str, str] = {}
    title = clean_text(title, "title", errors, limit=300, multiline=True) or _title_of(document)
    if errors:
        raise ValidationError(errors)
    starts_on = _starts_on(document, starts_on)
    suggested = specs.specs_from_text(unit, document.body)
    for spec in suggested:
        if spec.rule == DueRule.FIXED and spec.due_on is not None and spec.due_on < starts_on:
            spec.rule, spec.due_on = DueRule.NONE, None
    with transaction.atomic():
        programme = Programme.objects.create(
            unit=unit,
            document=document,
            title=title,
            starts_on=starts_on,
            created_by=recorded_user(by),
        )
        for order, spec in enumerate(suggested, start=1):
            _task_write(programme, spec, order=order)
        indexing.put_programme(programme)
    return programme


def _refresh_dependents(task: Task, depth: int = 0) -> None:
    """Tasks counting their deadline from `task` follow its new date (and those counting from them)."""
    if depth > schedule.CHAIN_MAX:
        return
    for other in task.dependents.select_related("programme", "relative_task"):
        _generate(other)
        _refresh_dependents(other, depth + 1)


def _task_write(
    programme: Programme, spec: specs.TaskSpec, *, task: Task | None = None, order: int = 0
) -> Task:
    values = _check_task(programme, spec, task)
    coordinating = values.pop("coordinating", None) or spec.coordinating
    if task is None:
        task = Task(programme=programme, order=order)
    for name, value in values.items():
        setattr(task, name, value)
    task.save()
    task.coordinating.set(coordinating)
    _generate(task)
    _refresh_dependents(task)
    return task


def task_save(*, programme: Programme, spec: specs.TaskSpec, task: Task | None = None, by: Actor) -> Task:
    """Add a task to `programme` (task None) or change one; its occurrences follow the rule."""
    _require_manage(by, programme.unit)
    _check_task(programme, spec, task)  # before the transaction: nothing is locked for a refused change
    with transaction.atomic():
        if task is not None:
            task = Task.objects.select_for_update().get(pk=task.pk, programme=programme)
            order = task.order
        else:
            order = (programme.tasks.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        task = _task_write(programme, spec, task=task, order=order)
        indexing.put_task(task)  # its words and its lead (who finds it) may have changed
        return task


def task_delete(*, task: Task, by: Actor, confirm_progress: bool = False) -> None:
    """Delete a task with its occurrences (each deletion is in the audit log, reports included).

    Pre-filled tasks are the parser's reading of the document: some are wrong or twice there, and a cell
    may have reported on one before the officer noticed. Refusing to delete such a task would leave it
    in every list and reminder for good, so a task with progress reported may be deleted, but only when
    the caller confirms it (`confirm_progress`) after being told how many reports go with it; the audit
    log keeps the deleted reports' text (their evidence files are removed after the commit). A task that
    other tasks count their deadline from is refused until they count from something else.
    """
    _require_manage(by, task.programme.unit)
    with transaction.atomic():
        task = Task.objects.select_for_update().select_related("programme__unit").get(pk=task.pk)
        # progress_report locks the occurrence: none can be added between the count and the deletion
        list(Occurrence.objects.select_for_update().filter(task=task).values_list("pk", flat=True))
        dependents = sorted(_number(other) for other in task.dependents.all())
        if dependents:
            raise ValidationError(
                _(
                    "Tasks %(numbers)s count their deadline from this one: change their due rule before "
                    "deleting it."
                )
                % {"numbers": ", ".join(dependents)}
            )
        reports = ProgressUpdate.objects.filter(occurrence__task=task)
        count = reports.count()
        if count and not confirm_progress:
            raise ValidationError(
                {
                    "confirm": _(
                        "Progress has been reported on this task (%(count)s reports): confirm that the "
                        "reports are deleted with it."
                    )
                    % {"count": count}
                }
            )
        files = list(reports.exclude(file="").values_list("file", flat=True))
        indexing.drop_task(task.pk)
        task.delete()
        uploads.discard_after_commit(files, storage=ProgressUpdate._meta.get_field("file").storage)


def programme_delete(*, programme: Programme, by: Actor) -> None:
    """Delete a programme with its tasks and occurrences (audited), only while nobody has reported progress
    on it: once units have reported, the programme is the record of their work and stays (its wrong tasks
    can still be deleted one by one, with confirmation)."""
    _require_manage(by, programme.unit)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        list(
            Occurrence.objects.select_for_update()
            .filter(task__programme=programme)
            .values_list("pk", flat=True)
        )
        count = selectors.progress_count(programme=programme)
        if count:
            raise ValidationError(
                _(
                    "Progress has been reported on this programme (%(count)s reports): it cannot be deleted. "
                    "Delete its wrong tasks one by one instead."
                )
                % {"count": count}
            )
        indexing.drop_programme(programme.pk, programme.tasks.values_list("pk", flat=True))
        programme.delete()


# ---------------------------------------------------------------- progress


def _links(links: Iterable[str] | str | None) -> list[str]:
    if isinstance(links, str):
        links = links.split()
    items = [str(link).strip() for link in links or [] if str(link or "").strip()]
    if len(items) > LINKS_MAX:
        raise ValidationError({"links": _("At most %(limit)s links.") % {"limit": LINKS_MAX}})
    validate = URLValidator(schemes=["http", "https"])
    for link in items:
        try:  # a web address lets a control character through its path: the text check first
            validate_text(link)
        except ValidationError as error:
            raise ValidationError({"links": error.messages}) from None
        try:
            if len(link) > 500:
                raise ValidationError("long")
            validate(link)
        except ValidationError:
            raise ValidationError(
                {"links": _("“%(link)s” is not a web address (http:// or https://).") % {"link": link[:80]}}
            ) from None
    return items


def progress_report(
    *,
    occurrence: Occurrence,
    state: str,
    text: str,
    links: Iterable[str] | str = (),
    file: UploadedFile | None = None,
    by: Actor,
    on: datetime.date | None = None,
) -> ProgressUpdate:
    """Report progress on an occurrence with its evidence; the occurrence takes the reported state.

    `file` is an uploaded file: checked (type read from the content, size limit) before anything is saved.
    Reporting needs DOCUMENT_MANAGE at the programme's unit or at the task's lead unit, or TASK_PROGRESS at the
    lead unit (`policy.can_report_progress`).
    """
    if not policy.can_report_progress(by, occurrence.task):
        raise PermissionDenied(_("You may not report progress on this task."))
    errors: dict[str, str] = {}
    text = clean_text(
        text, "text", errors, limit=TEXT_MAX, required=_("Describe the progress."), multiline=True
    )
    if state not in State.values:
        errors["state"] = _("Choose a state.")
    if errors:
        raise ValidationError(errors)
    links = _links(links)
    upload = None
    if file is not None:
        try:
            upload = uploads.check(file, selectors.evidence_rules())
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
    on = on or schedule.today()
    stored = None
    try:
        with transaction.atomic():
            occurrence = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
            update = ProgressUpdate(
                occurrence=occurrence,
                state=state,
                text=text,
                links=links,
                reported_on=on,
                by=recorded_user(by),
            )
            if upload is not None:
                stored = uploads.store(update.file, upload)
                update.file_name = stored.name[:150]
                update.file_type = stored.content_type
                update.file_size = stored.size
            update.save()
            occurrence.state = state
            occurrence.done_on = on if state == State.DONE else None
            occurrence.save(update_fields=["state", "done_on", "updated_at"])
    except BaseException:
        uploads.discard([stored])  # nothing when nothing was stored
        raise
    return update
