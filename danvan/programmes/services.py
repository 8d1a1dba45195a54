"""Writes of the action programmes: each function one transaction, validated before anything is saved.

The views ask the policy (DOCUMENT_VIEW to see, DOCUMENT_MANAGE to write); the services check what the
data must satisfy: a lead and coordinating units inside the programme unit's subtree, a due rule with a
possible day, evidence files of an accepted type and size, links that are web addresses.
"""

import calendar
import datetime
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.text import search_key
from danvan.directives import parsing
from danvan.orgs import selectors as org_selectors
from danvan.orgs.models import Unit

from .models import DueRule, Occurrence, Programme, ProgressUpdate, State, Task, TaskKind

TEXT_MAX = 5000
LINKS_MAX = 10
EVIDENCE_TYPES = {
    "application/pdf": ("pdf",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "text/plain": ("txt",),
}


def today() -> datetime.date:
    return timezone.localdate()


def horizon(day: datetime.date | None = None) -> datetime.date:
    """Recurring tasks get their occurrences up to the end of next year."""
    return datetime.date((day or today()).year + 1, 12, 31)


# ---------------------------------------------------------------- units


def subtree_units(unit: Unit) -> list[Unit]:
    versions = org_selectors.descendants(unit, include_self=True).select_related("unit")
    return [version.unit for version in versions]


def _in_tree(root: Unit, unit: Unit) -> bool:
    return unit.path.startswith(root.path)


def resolve_lead(root: Unit, text: str) -> Unit | None:
    """The unit of `root`'s subtree named by `text`, ignoring accents and case; None when not exactly one.

    A name equal to the text wins; otherwise the one unit whose name contains the text or is contained in it.
    """
    key = search_key(text or "")
    if not key:
        return None
    versions = list(org_selectors.descendants(root, include_self=True).select_related("unit"))
    names = [
        (version.unit, search_key(version.name), search_key(version.short_name or "")) for version in versions
    ]
    exact = [unit for unit, name, short in names if key in (name, short)]
    if len(exact) == 1:
        return exact[0]
    partial = {
        unit.pk: unit
        for unit, name, short in names
        if f" {name} " in f" {key} " or f" {key} " in f" {name} " or (short and f" {short} " in f" {key} ")
    }
    return next(iter(partial.values())) if len(partial) == 1 else None


# ---------------------------------------------------------------- due rules


def _valid_day(day: int, month: int) -> bool:
    """A day that exists every year (29/02 does not)."""
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2023, month)[1]


def _on(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def due_dates(task: Task, until: datetime.date | None = None) -> list[datetime.date | None]:
    """The deadlines of `task`: one (or None) for a non-recurring rule, every one up to `until` otherwise."""
    if task.rule == DueRule.FIXED:
        return [task.due_on]
    if task.rule == DueRule.RELATIVE:
        return [task.relative_to + datetime.timedelta(days=task.relative_days)]
    if task.rule in (DueRule.ANNUAL, DueRule.SEMIANNUAL):
        start = task.programme.starts_on
        until = until or horizon()
        months = [task.month]
        if task.rule == DueRule.SEMIANNUAL:
            months.append((task.month + 5) % 12 + 1)
        found = []
        for year in range(start.year, until.year + 1):
            for month in months:
                day = _on(year, month, task.day)
                if start <= day <= until:
                    found.append(day)
        return sorted(found)
    return [None]


@dataclass
class TaskSpec:
    text: str
    lead: Unit | None = None
    lead_text: str = ""
    coordinating: list[Unit] = field(default_factory=list)
    coordinating_text: list[str] = field(default_factory=list)
    kind: str = TaskKind.TASK
    percent: float | None = None
    rule: str = DueRule.NONE
    due_on: datetime.date | None = None
    day: int | None = None
    month: int | None = None
    relative_to: datetime.date | None = None
    relative_days: int | None = None


def _check_task(programme: Programme, spec: TaskSpec) -> dict:
    errors: dict[str, str] = {}
    text = (spec.text or "").strip()
    if not text:
        errors["text"] = _("Write what the task is.")
    elif len(text) > TEXT_MAX or "\x00" in text:
        errors["text"] = _("At most %(limit)s characters.") % {"limit": TEXT_MAX}
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
    elif spec.rule == DueRule.FIXED and spec.due_on is None:
        errors["due_on"] = _("Give the due date.")
    elif spec.rule in (DueRule.ANNUAL, DueRule.SEMIANNUAL):
        if spec.day is None or spec.month is None:
            errors["day"] = _("Give the day and month of the deadline (for example 15/12).")
        elif not _valid_day(spec.day, spec.month):
            errors["day"] = _(
                "%(day)s/%(month)s is not a day that exists every year: choose another day."
            ) % {
                "day": f"{spec.day:02d}",
                "month": f"{spec.month:02d}",
            }
    elif spec.rule == DueRule.RELATIVE:
        if spec.relative_to is None or spec.relative_days is None:
            errors["relative_days"] = _("Give the date counted from and the number of days after it.")
        elif not 0 < spec.relative_days <= 3660:
            errors["relative_days"] = _("The number of days must be between 1 and 3660.")
    if errors:
        raise ValidationError(errors)
    values = {
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
        "relative_to": None,
        "relative_days": None,
    }
    if spec.rule == DueRule.FIXED:
        values["due_on"] = spec.due_on
    elif spec.rule in (DueRule.ANNUAL, DueRule.SEMIANNUAL):
        values.update(day=spec.day, month=spec.month)
    elif spec.rule == DueRule.RELATIVE:
        values.update(relative_to=spec.relative_to, relative_days=spec.relative_days)
    return values


def occurrences_generate(task: Task, until: datetime.date | None = None) -> int:
    """Create the occurrences `task`'s rule calls for and are missing; drop untouched ones it no longer does.

    Idempotent: running it again creates nothing. Occurrences with progress reported are kept.
    Returns how many were created.
    """
    wanted = due_dates(task, until)
    existing = {occurrence.due_on: occurrence for occurrence in task.occurrences.all()}
    stale = [
        occurrence.pk
        for day, occurrence in existing.items()
        if day not in wanted
        and occurrence.state == State.NOT_STARTED
        and not occurrence.updates.exists()
        and (until is None or day is None or day <= until)
    ]
    if stale:
        Occurrence.objects.filter(pk__in=stale).delete()
    missing = [Occurrence(task=task, due_on=day) for day in wanted if day not in existing]
    Occurrence.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def occurrences_extend(until: datetime.date | None = None) -> int:
    """Daily: recurring tasks get their occurrences up to the horizon."""
    created = 0
    for task in Task.objects.filter(rule__in=[DueRule.ANNUAL, DueRule.SEMIANNUAL]).select_related(
        "programme"
    ):
        with transaction.atomic():
            created += occurrences_generate(task, until)
    return created


# ---------------------------------------------------------------- programmes and tasks


def _title_of(document) -> str:
    return f"{_('Action programme')}: {document.number_symbol} — {document.subject}"[:300]


def _rule_of(item: dict) -> dict:
    """The due rule a parsed assignment suggests: "trước 15 tháng 12 hàng năm" is annual, a date is fixed."""
    due = item.get("due")
    if not due:
        return {"rule": DueRule.NONE}
    try:
        day = datetime.date.fromisoformat(due)
    except ValueError:
        return {"rule": DueRule.NONE}
    key = search_key(item.get("text", ""))
    if "6 thang" in key and ("dinh ky" in key or "hang nam" in key):
        return {"rule": DueRule.SEMIANNUAL, "day": day.day, "month": day.month}
    if "hang nam" in key or "moi nam" in key:
        return {"rule": DueRule.ANNUAL, "day": day.day, "month": day.month}
    return {"rule": DueRule.FIXED, "due_on": day}


def specs_from_text(unit: Unit, text: str) -> list[TaskSpec]:
    """The tasks a document's text suggests: its assignments (lead resolved within `unit`'s tree) and targets."""
    parsed = parsing.parse(text or "")
    specs = []
    for item in parsed.tasks:
        lead = resolve_lead(unit, item.get("lead") or "")
        coordinating = []
        for name in item.get("coordinating") or []:
            found = resolve_lead(unit, name)
            if found is not None and found != lead and found not in coordinating:
                coordinating.append(found)
        specs.append(
            TaskSpec(
                text=item.get("text", ""),
                lead=lead,
                lead_text=item.get("lead") or "",
                coordinating=coordinating,
                coordinating_text=list(item.get("coordinating") or []),
                **_rule_of(item),
            )
        )
    seen = set()
    for item in parsed.targets:
        if item.get("text") in seen:  # one sentence with two percentages is one target
            continue
        seen.add(item.get("text"))
        specs.append(TaskSpec(text=item.get("text", ""), kind=TaskKind.TARGET, percent=item.get("percent")))
    return specs


def programme_create(*, document, unit: Unit | None = None, title: str = "", by=None) -> Programme:
    """An action programme of `unit` (the document's by default) pre-filled from the document's text."""
    unit = unit or document.unit
    title = (title or "").strip() or _title_of(document)
    if len(title) > 300 or "\x00" in title:
        raise ValidationError({"title": _("At most %(limit)s characters.") % {"limit": 300}})
    specs = specs_from_text(unit, document.body)
    with transaction.atomic():
        programme = Programme.objects.create(
            unit=unit,
            document=document,
            title=title,
            starts_on=document.issued_on,
            created_by=by if getattr(by, "pk", None) else None,
        )
        for order, spec in enumerate(specs, start=1):
            _task_write(programme, spec, order=order)
    return programme


def _task_write(programme: Programme, spec: TaskSpec, *, task: Task | None = None, order: int = 0) -> Task:
    values = _check_task(programme, spec)
    coordinating = values.pop("coordinating", None) or spec.coordinating
    if task is None:
        task = Task(programme=programme, order=order)
    for name, value in values.items():
        setattr(task, name, value)
    task.save()
    task.coordinating.set(coordinating)
    occurrences_generate(task)
    return task


def task_save(*, programme: Programme, spec: TaskSpec, task: Task | None = None, by=None) -> Task:
    """Add a task to `programme` (task None) or change one; its occurrences follow the rule."""
    _check_task(programme, spec)  # before the transaction: nothing is locked for a refused change
    with transaction.atomic():
        if task is not None:
            task = Task.objects.select_for_update().get(pk=task.pk, programme=programme)
            order = task.order
        else:
            order = (programme.tasks.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        return _task_write(programme, spec, task=task, order=order)


# ---------------------------------------------------------------- progress


def _links(links) -> list[str]:
    if isinstance(links, str):
        links = links.split()
    items = [str(link).strip() for link in links or [] if str(link or "").strip()]
    if len(items) > LINKS_MAX:
        raise ValidationError({"links": _("At most %(limit)s links.") % {"limit": LINKS_MAX}})
    validate = URLValidator(schemes=["http", "https"])
    for link in items:
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
    links=(),
    file=None,
    by=None,
    on: datetime.date | None = None,
) -> ProgressUpdate:
    """Report progress on an occurrence with its evidence; the occurrence takes the reported state.

    `file` is an uploaded file: checked (type read from the content, size limit) before anything is saved.
    """
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Describe the progress.")
    elif len(text) > TEXT_MAX or "\x00" in text:
        errors["text"] = _("At most %(limit)s characters.") % {"limit": TEXT_MAX}
    if state not in State.values:
        errors["state"] = _("Choose a state.")
    if errors:
        raise ValidationError(errors)
    links = _links(links)
    upload = None
    if file is not None:
        from danvan.directives.files import check

        try:
            upload = check(file, EVIDENCE_TYPES)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
    on = on or today()
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
                by=by if getattr(by, "pk", None) else None,
            )
            if upload is not None:
                extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else "bin"
                update.file.save(
                    f"{secrets.token_hex(16)}.{extension}", ContentFile(upload.content), save=False
                )
                stored = update.file.name
                update.file_name = upload.name[:150]
                update.file_type = upload.content_type
                update.file_size = len(upload.content)
            update.save()
            occurrence.state = state
            occurrence.done_on = on if state == State.DONE else None
            occurrence.save(update_fields=["state", "done_on", "updated_at"])
    except BaseException:
        if stored:
            ProgressUpdate._meta.get_field("file").storage.delete(stored)
        raise
    return update
