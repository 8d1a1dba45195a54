"""Pages of the action programmes: my units' tasks by deadline, a programme's progress and timeline,
its tasks (lead, coordinating units, due rule) and the progress reported on each occurrence.

Every page asks the policy. A programme is seen with DOCUMENT_VIEW on its unit; created and edited with
DOCUMENT_MANAGE on its unit. Progress is reported with DOCUMENT_MANAGE at the task's lead unit (or the
programme's unit). A task is also seen by the lead unit's people (DOCUMENT_VIEW at the lead). What the
user may not see answers 404, as if it did not exist; what they see without the permission answers 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.permissions import obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.core.downloads import stored_file
from danvan.core.forms import attach_service_errors
from danvan.core.http import post_only
from danvan.directives.selectors import visible_documents
from danvan.orgs.fields import for_user

from . import selectors, services, specs
from .forms import DeleteForm, ProgrammeForm, ProgressForm, TaskForm
from .models import OVERDUE, DueRule, Occurrence, ProgressUpdate, RelativeBase, State, Task, TaskKind

DOCUMENT_CHOICES = 200


def _may_report(user, task: Task) -> bool:
    return policy.can_report_progress(user, task)


def _days(occurrence: Occurrence, today) -> int | None:
    """Days left until the deadline (negative: days overdue); None without a deadline."""
    return (occurrence.due_on - today).days if occurrence.due_on else None


def _home(request, form: ProgrammeForm | None = None):
    require_somewhere(request.user, Perm.DOCUMENT_VIEW)
    today = timezone.localdate()
    occurrences = selectors.my_tasks(request.user, day=today)
    rows = [(occurrence, occurrence.status(today), _days(occurrence, today)) for occurrence in occurrences]
    rows.sort(key=lambda row: (row[1] != OVERDUE,))
    visible = set(selectors.programmes_for(request.user).values_list("pk", flat=True)) if rows else set()
    documents = []
    if policy.has_any(request.user, Perm.DOCUMENT_MANAGE):
        documents = list(
            visible_documents(request.user, Perm.DOCUMENT_MANAGE).select_related("unit")[:DOCUMENT_CHOICES]
        )
    programmes = list(selectors.programmes_for(request.user)[:200])
    figures = selectors.progress_by_programme([programme.pk for programme in programmes], today)
    chosen = request.POST.get("document") or request.GET.get("document") or ""
    return render(
        request,
        "programmes/home.html",
        {
            "rows": rows,
            "overdue_count": sum(1 for row in rows if row[1] == OVERDUE),
            "visible_programmes": visible,
            "programmes": [(programme, figures.get(programme.pk)) for programme in programmes],
            "documents": documents,
            "chosen": chosen,
            "form": form or for_user(ProgrammeForm(), request.user),
            "today": today,
        },
    )


@login_required
def home(request):
    """My units' open tasks by deadline (overdue first), the programmes, and a new programme from a document."""
    return _home(request)


@login_required
@post_only("programmes:home")
def programme_create(request):
    user = request.user
    document = obtain(
        visible_documents(user).select_related("unit"), user=user, pk=request.POST.get("document", "")
    )
    form = for_user(ProgrammeForm(request.POST), user)
    if form.is_valid():
        unit = form.cleaned_data["unit"] or document.unit  # a unit named: among those the user manages
        policy.require(user, Perm.DOCUMENT_MANAGE, unit)
        try:
            programme = services.programme_create(
                document=document,
                unit=unit,
                title=form.cleaned_data["title"],
                starts_on=form.cleaned_data["starts_on"],
                by=request.user,
            )
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The programme was created with %(count)s tasks.") % {"count": programme.tasks.count()},
            )
            missing = programme.tasks.filter(kind=TaskKind.TASK, lead__isnull=True).count()
            if missing:
                messages.warning(
                    request,
                    _("%(count)s tasks need their lead unit chosen: see “To review” below.")
                    % {"count": missing},
                )
            return redirect("programmes:detail", pk=programme.pk)
    return _home(request, form)


@login_required
def programme_detail(request, pk: int):
    programme = obtain(selectors.programmes_for(request.user), user=request.user, pk=pk)
    today = timezone.localdate()
    tasks = list(
        programme.tasks.select_related("lead", "relative_task", "programme__document").prefetch_related(
            "coordinating", "occurrences"
        )
    )
    rows = []
    for task in tasks:
        occurrences = list(task.occurrences.all())
        current = next(
            (o for o in occurrences if o.state != State.DONE),
            occurrences[-1] if occurrences else None,
        )
        due = [o for o in occurrences if o.due_on is None or o.due_on <= today or o.state == State.DONE]
        rows.append(
            {
                "task": task,
                "current": current,
                "status": current.status(today) if current else "",
                "days": _days(current, today) if current and current.state != State.DONE else None,
                "done": sum(1 for o in due if o.state == State.DONE),
                "due": len(due),
            }
        )
    may_manage = policy.can(request.user, Perm.DOCUMENT_MANAGE, programme.unit)
    assignments = [task for task in tasks if task.kind == TaskKind.TASK]
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "rows": rows,
            # what the officer still has to decide on the pre-filled tasks
            "without_lead": [task for task in assignments if task.lead_id is None],
            "without_deadline": [task for task in assignments if task.rule == DueRule.NONE],
            "progress": selectors.progress(programme, today),
            "may_manage": may_manage,
            "may_delete": may_manage and not selectors.progress_count(programme=programme),
        },
    )


@login_required
def programme_delete(request, pk: int):
    """Confirm, then delete a programme on which nobody has reported progress (the service refuses otherwise)."""
    programme = obtain(
        selectors.programmes_for(request.user), user=request.user, do=Perm.DOCUMENT_MANAGE, pk=pk
    )
    reports = selectors.progress_count(programme=programme)
    error = ""
    if request.method == "POST":
        try:
            services.programme_delete(programme=programme, by=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request, _("The programme “%(title)s” was deleted.") % {"title": programme.title}
            )
            return redirect("programmes:home")
    return render(
        request,
        "programmes/delete.html",
        {
            "programme": programme,
            "task": None,
            "reports": reports,
            "tasks": programme.tasks.count(),
            "error": error,
            "form": DeleteForm(),
        },
        status=400 if error else 200,
    )


@login_required
def programme_timeline(request, pk: int):
    programme = obtain(selectors.programmes_for(request.user), user=request.user, pk=pk)
    today = timezone.localdate()
    groups = [
        (key, [(occurrence, occurrence.status(today)) for occurrence in items])
        for key, items in selectors.timeline(programme).items()
    ]
    this_month = (today.year, today.month)
    # where "now" is: this month's group, or the first one after it
    now = next((key for key, _items in groups if key is not None and key >= this_month), None)
    return render(
        request,
        "programmes/timeline.html",
        {"programme": programme, "groups": groups, "this_month": this_month, "now": now},
    )


def _spec_from(form: TaskForm, tasks: dict) -> specs.TaskSpec:
    data = form.cleaned_data
    day_month = data.get("day_month") or (None, None)
    return specs.TaskSpec(
        text=data["text"],
        lead=data.get("lead"),
        coordinating=list(data.get("coordinating") or []),
        rule=data["rule"],
        due_on=data.get("due_on"),
        day=day_month[0],
        month=day_month[1],
        relative_base=data.get("relative_base") or "",
        relative_to=data.get("relative_to"),
        relative_task=tasks.get(data.get("relative_task") or ""),
        relative_days=data.get("relative_days"),
    )


@login_required
def task_edit(request, pk: int, task_pk: int | None = None):
    programme = obtain(
        selectors.programmes_for(request.user), user=request.user, do=Perm.DOCUMENT_MANAGE, pk=pk
    )
    task = get_object_or_404(Task, pk=task_pk, programme=programme) if task_pk else None
    kept = [task.lead, *task.coordinating.all()] if task is not None else []  # may have moved away since
    others = {
        str(other.pk): other
        for other in programme.tasks.select_related("programme__document", "relative_task")
        if task is None or other.pk != task.pk
    }
    initial = {}
    if task is not None:
        initial = {
            "text": task.text,
            "lead": task.lead,
            "coordinating": [unit for unit in kept[1:]],
            "rule": task.rule,
            "due_on": task.due_on,
            "day_month": f"{task.day:02d}/{task.month:02d}" if task.day and task.month else "",
            "relative_base": task.relative_base,
            "relative_to": task.relative_to,
            "relative_task": str(task.relative_task_id or ""),
            "relative_days": task.relative_days,
        }
    form = TaskForm(
        request.POST or None,
        initial=initial or {"rule": DueRule.NONE, "relative_base": RelativeBase.DATE},
        user=request.user,
        programme=programme,
        keep=kept,
        tasks=others.values(),
    )
    if request.method == "POST" and form.is_valid():
        spec = _spec_from(form, others)
        if task is not None:
            spec.kind, spec.percent = task.kind, task.percent
            spec.lead_text, spec.coordinating_text = task.lead_text, task.coordinating_text
        try:
            services.task_save(programme=programme, spec=spec, task=task, by=request.user)
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            messages.success(request, _("The task was saved."))
            return redirect("programmes:detail", pk=programme.pk)
    return render(request, "programmes/task_form.html", {"programme": programme, "task": task, "form": form})


@login_required
def task_delete(request, pk: int, task_pk: int):
    """Confirm, then delete a task. With progress reported the page says how many reports go with it and
    the deletion needs the box ticked (services.task_delete explains why it is allowed at all)."""
    programme = obtain(
        selectors.programmes_for(request.user), user=request.user, do=Perm.DOCUMENT_MANAGE, pk=pk
    )
    task = get_object_or_404(Task, pk=task_pk, programme=programme)
    reports = selectors.progress_count(task=task)
    form = DeleteForm(request.POST if request.method == "POST" else None)  # an empty POST is a POST
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.task_delete(task=task, confirm_progress=form.cleaned_data["confirm"], by=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("The task was deleted."))
            return redirect("programmes:detail", pk=programme.pk)
    return render(
        request,
        "programmes/delete.html",
        {"programme": programme, "task": task, "reports": reports, "error": error, "form": form},
        status=400 if error else 200,
    )


@login_required
def task_page(request, pk: int):
    """A task's own address (the search's link): the page of the occurrence it is at, where the lead unit's
    people see it too; the programme's page for a task without one."""
    task = obtain(selectors.tasks_for(request.user), user=request.user, pk=pk)
    occurrence = selectors.current_occurrence(task)
    if occurrence is None:
        return redirect("programmes:detail", pk=task.programme_id)
    return redirect("programmes:occurrence", pk=occurrence.pk)


@login_required
def occurrence_page(request, pk: int):
    occurrence = obtain(selectors.occurrences_for(request.user), user=request.user, pk=pk)
    task = occurrence.task
    may_report = _may_report(request.user, task)
    form = ProgressForm(request.POST or None, request.FILES or None, initial={"state": occurrence.state})
    if request.method == "POST":
        if not may_report:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.progress_report(
                    occurrence=occurrence,
                    state=form.cleaned_data["state"],
                    text=form.cleaned_data["text"],
                    links=form.cleaned_data["links"],
                    file=form.cleaned_data.get("file"),
                    by=request.user,
                )
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(request, _("The progress was recorded."))
                return redirect("programmes:occurrence", pk=occurrence.pk)
    today = timezone.localdate()
    status = occurrence.status(today)
    return render(
        request,
        "programmes/occurrence.html",
        {
            "occurrence": occurrence,
            "status": status,
            "days": _days(occurrence, today) if status != State.DONE else None,
            "others": [(other, other.status(today)) for other in task.occurrences.exclude(pk=occurrence.pk)],
            "task": task,
            "updates": occurrence.updates.select_related("by"),
            "form": form,
            "may_report": may_report,
            "may_see_programme": policy.can(request.user, Perm.DOCUMENT_VIEW, task.programme.unit),
        },
    )


@login_required
def evidence(request, pk: int):
    updates = ProgressUpdate.objects.exclude(file="").filter(
        occurrence__in=selectors.occurrences_for(request.user)
    )
    update = obtain(updates, user=request.user, pk=pk)
    return stored_file(update.file, update.file_name or "minh-chung", update.file_type)
