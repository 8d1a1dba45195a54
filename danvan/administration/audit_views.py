"""The audit log browser: filter, page through, open one event, export the filtered list.

Needs Perm.AUDIT_VIEW somewhere (else 403); every read goes through audit_selectors.events_visible_to,
so an event outside the user's subtrees is never listed and answers 404 when asked for.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from danvan.accounts.permissions import obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core import tables
from danvan.core.dates import moment_text
from danvan.jobs import kinds as job_kinds
from danvan.jobs import services as job_services

from .audit_display import action_label, change_rows, record_type
from .audit_forms import EventFilterForm
from .audit_selectors import events_filter, events_visible_to

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000


def _filtered(request) -> tuple[EventFilterForm, QuerySet[AuditEvent]]:
    """The filter form and the events it selects (none while the filter is invalid)."""
    form = EventFilterForm(request.GET or None, user=request.user)
    events = events_visible_to(user=request.user)
    if form.is_bound:
        events = events_filter(events, spec=form.spec()) if form.is_valid() else events.none()
    return form, events


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def event_list(request):
    require_somewhere(request.user, Perm.AUDIT_VIEW)
    form, events = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.rows = change_rows(event)
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "administration/event_list.html", context)


@login_required
def event_detail(request, pk: int):
    require_somewhere(request.user, Perm.AUDIT_VIEW)
    event = obtain(events_visible_to(user=request.user), user=request.user, pk=pk)
    return render(request, "administration/event_detail.html", {"event": event, "rows": change_rows(event)})


def _changes_text(event: AuditEvent) -> str:
    return "; ".join(
        f"{row.field}: {row.before} → {row.after}" if row.changed else f"{row.field}: {row.after}"
        for row in change_rows(event)
    )


def _export_rows(events):
    yield [
        _("Time"),
        _("Action"),
        _("Done by"),
        _("Unit"),
        _("Record type"),
        _("Record"),
        _("Changes"),
        _("IP address"),
    ]
    for event in events.iterator(chunk_size=2000):
        yield [
            moment_text(event.at),
            action_label(event),
            event.actor_label,
            event.unit_code,
            record_type(event.model),
            event.object_repr,
            _changes_text(event),
            event.ip_address or "",
        ]


def _write(rows, fmt: str, progress=None):
    """The export file of `rows` (heading row first), written into a temporary file at its start."""
    if fmt == "csv":
        file = tables.temporary_file()
        tables.write_csv(file, rows, progress=progress)
        file.seek(0)
        return file
    book = tables.new_workbook()
    tables.add_sheet(book, tables.Sheet(_("Audit log"), rows), progress=progress)
    return tables.xlsx_file(book)


def _csv_response(rows):
    return tables.csv_response(rows, filename="nhat-ky.csv")


def _xlsx_response(rows):
    return tables.xlsx_response(
        tables.workbook([tables.Sheet(_("Audit log"), rows)]), filename="nhat-ky.xlsx"
    )


@login_required
def event_export(request, fmt: str):
    """The filtered events as a file; more than JOBS_BACKGROUND_ROWS of them are prepared as a
    background job (confirmed by a POST: a GET never starts one)."""
    require_somewhere(request.user, Perm.AUDIT_VIEW)
    form, events = _filtered(request)
    back = f"{reverse('audit:list')}?{_query_without_page(request)}"
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Correct the filter before exporting."))
        return redirect(back)
    total = events.count()
    if total > EXPORT_LIMIT:
        messages.error(
            request,
            _("The filter selects %(total)s events; narrow it to at most %(limit)s to export.")
            % {
                "total": formats.number_format(total, force_grouping=True),
                "limit": formats.number_format(EXPORT_LIMIT, force_grouping=True),
            },
        )
        return redirect(back)
    if total > settings.JOBS_BACKGROUND_ROWS:  # prepared in the background; a GET only offers it
        if request.method != "POST":
            return render(
                request, "jobs/confirm.html", {"title": _("Audit log export"), "rows": total, "back": back}
            )
        params = {"fmt": fmt, "filter": request.GET.dict()}
        job = job_services.job_start(kind=EXPORT_KIND, params=params, by=request.user)
        return redirect("jobs:detail", pk=job.pk)
    rows = _export_rows(events)
    response = _csv_response(rows) if fmt == "csv" else _xlsx_response(rows)
    _record_export(form, fmt, request.GET.dict(), total)
    return response


def _record_export(form, fmt: str, query: dict, total: int) -> None:
    spec = form.spec() if form.is_bound else None
    record(
        action=AuditEvent.Action.EXPORT,
        model="audit.auditevent",
        object_repr=_("Audit log export"),
        unit=spec.unit if spec else None,
        changes={"format": fmt, "filter": query, "rows": total},
    )


# --- large exports as background jobs (danvan.jobs) -------------------------------------------

EXPORT_KIND = "administration.audit_export"


def _export_job(job, progress) -> job_kinds.Outcome:
    """Write the export a person asked for (the filter they used, the events they may see now)."""
    user, fmt, query = job.created_by, job.params["fmt"], job.params["filter"]
    if user is None:
        raise job_kinds.JobFailed(_("The person who started this export no longer has an account."))
    form = EventFilterForm(query or None, user=user)
    events = events_visible_to(user=user)
    if form.is_bound:
        if not form.is_valid():
            raise job_kinds.JobFailed(_("Correct the filter before exporting."))
        events = events_filter(events, spec=form.spec())
    total = events.count()
    progress(0, total)
    file = _write(_export_rows(events), fmt, lambda written: progress(max(written - 1, 0)))  # heading row
    _record_export(form, fmt, query, total)
    message = _("%(count)s rows exported.") % {"count": formats.number_format(total, force_grouping=True)}
    content_type = tables.CSV_TYPE if fmt == "csv" else tables.XLSX_TYPE
    return job_kinds.Outcome(file, f"nhat-ky.{fmt}", content_type, message, done=total)


EXPORT_JOB = job_kinds.Kind(
    name=EXPORT_KIND,
    label=_lazy("Audit log export"),
    run=_export_job,
    perm=Perm.AUDIT_VIEW,
    reads_replica=True,
)
