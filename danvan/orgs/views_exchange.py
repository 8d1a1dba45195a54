"""Import and export of units through the interface (the work itself is in the exchange package).

- import_upload: upload a .csv/.xlsx file; checked by the upload checker (core.tables.check_upload),
  it is kept as a UnitImport and run as a background job (danvan.jobs).
- import_detail: the outcome of one import (only its uploader and bloc administrators see it), its
  progress while it runs.
- export: download the units the user may export, every version or as of a date; an export of more
  than settings.JOBS_BACKGROUND_ROWS rows is prepared as a background job (POST), with a progress page.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from danvan.accounts import policy
from danvan.accounts.permissions import obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.core import tables
from danvan.core.forms import DateField
from danvan.jobs import selectors as job_selectors
from danvan.jobs import services as job_services

from .exchange import jobs as exchange_jobs
from .exchange.apply import summary_text
from .exchange.export import units_export
from .exchange.fileformat import COLUMNS
from .models import UnitImport

ERRORS_SHOWN = 500


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Unit file (.csv or .xlsx)"))

    def clean_file(self):
        try:
            return tables.check_upload(self.cleaned_data["file"])
        except tables.FileRejected as rejected:
            raise forms.ValidationError(rejected.error.message, code=rejected.code) from None


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")], initial="csv")
    as_of = DateField(
        label=_("As of"),
        required=False,
        help_text=_("Leave empty to export every version of every unit; dd/mm/yyyy."),
    )


def _visible_jobs(user) -> QuerySet[UnitImport]:
    """Imports the user may follow: every one for an administrator at a root, their own otherwise."""
    jobs = UnitImport.objects.all()
    return jobs if policy.can(user, Perm.UNIT_IMPORT, None) else jobs.filter(created_by=user)


@login_required
def import_upload(request):
    require_somewhere(request.user, Perm.UNIT_IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = exchange_jobs.import_job_create(
            checked=form.cleaned_data["file"], by=request.user, language=get_language()
        )
        job_services.job_start(kind=exchange_jobs.IMPORT_KIND, params={"import_id": job.pk}, by=request.user)
        return redirect("orgs:import_detail", pk=job.pk)
    jobs = _visible_jobs(request.user).select_related("created_by")
    context = {"form": form, "jobs": jobs[:20], "columns": COLUMNS}
    return render(request, "orgs/import_upload.html", context, status=400 if form.errors else 200)


@login_required
def import_detail(request, pk: int):
    job = obtain(_visible_jobs(request.user).select_related("created_by"), user=request.user, pk=pk)
    errors = [tables.RowError(**error) for error in job.errors[:ERRORS_SHOWN]]
    context = {
        "job": job,
        "errors": errors,
        "error_count": job.summary.get("error_count", len(job.errors)),
        "summary_text": summary_text(job.summary) if job.status == UnitImport.Status.DONE else "",
    }
    if job.status == UnitImport.Status.PENDING:
        running = job_selectors.job_for(kind=exchange_jobs.IMPORT_KIND, key="import_id", value=job.pk)
        if running is not None:
            context.update(progress_job=running, status=job_selectors.job_status(running))
    return render(request, "orgs/import_detail.html", context)


def _export_context(form, **more) -> dict:
    return {"form": form, "threshold": settings.JOBS_BACKGROUND_ROWS, **more}


@login_required
def export(request):
    """GET: the form, or a small export downloaded at once. POST: the same, or, above
    JOBS_BACKGROUND_ROWS rows, a background job (a GET never starts one: reads never write)."""
    require_somewhere(request.user, Perm.UNIT_EXPORT)
    data = request.POST if request.method == "POST" else request.GET
    if "format" not in data:
        return render(request, "orgs/export.html", _export_context(ExportForm()))
    form = ExportForm(data)
    if not form.is_valid():
        return render(request, "orgs/export.html", _export_context(form), status=400)
    units = exchange_jobs.exportable_units(request.user)
    as_of, fmt = form.cleaned_data["as_of"], form.cleaned_data["format"]
    size = exchange_jobs.export_size(units=units, as_of=as_of)
    if size > settings.JOBS_BACKGROUND_ROWS:
        if request.method != "POST":
            return render(request, "orgs/export.html", _export_context(form, large=size))
        params = {"format": fmt, "as_of": as_of.isoformat() if as_of else None}
        job = job_services.job_start(kind=exchange_jobs.EXPORT_KIND, params=params, by=request.user)
        return redirect("jobs:detail", pk=job.pk)
    exported = units_export(units=units, as_of=as_of, fmt=fmt)
    return tables.file_response(exported.file, filename=exported.filename, content_type=exported.content_type)
