"""The activities package's own pages: the overview of every register and the import of a register.

- home: /activities/ — for a year, one card per register with its figures (ACTIVITY_VIEW).
- import_file: /activities/import/ — a CSV/XLSX file into the chosen register, all or nothing; a file of
  more than JOBS_BACKGROUND_ROWS rows becomes a background job (ACTIVITY_RECORD).
- import_sample: /activities/import/<kind>/sample.xlsx — a sample file of a register (ACTIVITY_RECORD).
"""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core import tables, uploads
from danvan.core.pages import errors_shown
from danvan.core.tables import FileRejected
from danvan.jobs import services as job_services

from . import importing, overview
from .registers import importable

ERRORS_SHOWN = 50  # errors listed on the page; the rest are counted


def _may_import(user) -> bool:
    return policy.has_any(user, Perm.ACTIVITY_RECORD) and bool(importable())


@login_required
def home(request):
    """The overview (GET only): a year's figures of every register, over the units the user may see."""
    if not policy.has_any(request.user, Perm.ACTIVITY_VIEW):
        raise PermissionDenied
    today = timezone.localdate()
    choices = overview.years(today)
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if year not in choices:
        year = today.year
    context = {
        "year": year,
        "years": choices,
        "cards": overview.cards(request.user, year),
        "may_import": _may_import(request.user),
    }
    return render(request, "activities/home.html", context)


class ImportForm(forms.Form):
    """The register and the file; the cleaned file is the checked content (uploads.Checked)."""

    kind = forms.ChoiceField(label=gettext_lazy("Register"))
    file = forms.FileField(label=gettext_lazy("File (.csv or .xlsx)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(item.key, item.label) for item in importable()]

    def clean_file(self) -> uploads.Checked:
        try:
            return tables.check_upload(self.cleaned_data["file"])
        except FileRejected as rejected:
            raise forms.ValidationError(rejected.error.message, code=rejected.code) from None


@login_required
def import_file(request):
    """The import page (GET: the form and each register's columns; nothing written) and the import
    (POST: every row checked, all saved or none; a large file goes to a background job)."""
    if not policy.has_any(request.user, Perm.ACTIVITY_RECORD):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    imported = None
    chosen = None
    if request.method == "POST" and form.is_valid():
        chosen = importing.register_for(form.cleaned_data["kind"])
        checked = form.cleaned_data["file"]
        try:
            if len(importing.read_rows(checked, chosen)) > settings.JOBS_BACKGROUND_ROWS:
                # A large file: kept and imported in the background, followed on the job's page.
                stored = uploads.store_in(importing.STORE_FOLDER, checked)
                params = importing.job_params(stored, chosen)
                job = job_services.job_start(kind=importing.IMPORT_KIND, params=params, by=request.user)
                return redirect("jobs:detail", pk=job.pk)
            imported = importing.import_file(checked=checked, register=chosen, by=request.user)
        except FileRejected as error:
            errors = [str(problem) for problem in error.errors]
        except ValidationError as error:
            errors = importing.error_lines(error)
        except PermissionDenied:
            errors = [_("You may not record activities in this register.")]
    context = {
        "form": form,
        "registers": importable(),
        **errors_shown(errors, shown=ERRORS_SHOWN),
        "imported": imported,
        "imported_message": importing.imported_message(imported, chosen)
        if chosen and imported is not None
        else "",
        "threshold": settings.JOBS_BACKGROUND_ROWS,
    }
    status = 400 if errors or form.errors else 200
    return render(request, "activities/import.html", context, status=status)


@login_required
def import_sample(request, kind: str):
    """A sample file of a register: its columns and example rows (GET; nothing written)."""
    if not policy.has_any(request.user, Perm.ACTIVITY_RECORD):
        raise PermissionDenied
    try:
        chosen = importing.register_for(kind)
    except importing.UnknownKind:
        raise Http404 from None
    return tables.xlsx_response(importing.sample_book(chosen), filename=importing.sample_filename(chosen))
