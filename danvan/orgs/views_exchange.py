"""Import and export of units through the interface (the work itself is in the exchange package).

- import_upload: upload a .csv/.xlsx file; checked by the upload checker (core.tables.check_upload),
  it is kept as a UnitImport and run by a Celery task.
- import_detail: the outcome of one import (only its uploader and bloc administrators see it).
- export: download the units the user may export, every version or as of a date.
"""

from django import forms
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

from . import tasks
from .exchange.apply import summary_text
from .exchange.export import units_export
from .exchange.fileformat import COLUMNS
from .exchange.jobs import import_job_create
from .models import Unit, UnitImport

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
        job = import_job_create(checked=form.cleaned_data["file"], by=request.user, language=get_language())
        tasks.import_units.delay(job.id)
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
    return render(request, "orgs/import_detail.html", context)


@login_required
def export(request):
    require_somewhere(request.user, Perm.UNIT_EXPORT)
    if "format" not in request.GET:
        return render(request, "orgs/export.html", {"form": ExportForm()})
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(request, "orgs/export.html", {"form": form}, status=400)
    units = policy.scope(request.user, Perm.UNIT_EXPORT, Unit.objects.all(), field="path")
    exported = units_export(units=units, as_of=form.cleaned_data["as_of"], fmt=form.cleaned_data["format"])
    return tables.file_response(exported.file, filename=exported.filename, content_type=exported.content_type)
