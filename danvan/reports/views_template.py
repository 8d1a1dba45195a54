"""XLSX templates of a report and their upload; the administrators' bulk values import.

- template_download: /reports/<form>/<unit>/<period>/template.xlsx, the protected template, built
  from the form, unit and period (a download opens no report).
- template_upload: /reports/<form>/<unit>/<period>/upload/, a filled template → the draft opened if
  need be and values_save, all or nothing, errors per cell.
- import_values: /reports/import-values/, a bulk values CSV/XLSX (VALUE_IMPORT at a root).

A unit the user may not see, an unknown form or period, or a form the unit does not report on
answers 404; a visible unit without REPORT_ENTER answers 403.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.permissions import obtain
from danvan.accounts.policy import Perm
from danvan.core import tables, uploads
from danvan.core.tables import FileRejected
from danvan.jobs import services as job_services
from danvan.orgs.models import Unit
from danvan.orgs.selectors import units_for

from . import exchange, periods, rollup, selectors, services, views_periods, xlsx_template
from .models import Period, Report, ReportForm


class UploadForm(forms.Form):
    """One file, checked by `check` (core.tables.check_upload or the template's): the cleaned file is
    the checked content (uploads.Checked)."""

    file = forms.FileField(label=gettext_lazy("File"))

    def __init__(self, *args, check: Callable[..., uploads.Checked], **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check

    def clean_file(self):
        try:
            return self.check(self.cleaned_data["file"])
        except FileRejected as rejected:
            raise forms.ValidationError(rejected.error.message, code=rejected.code) from None


@dataclass
class _Target:
    """The form, unit and period of the URL, and the unit's report when it has been opened."""

    form: ReportForm
    unit: Unit
    period: Period
    report: Report | None


def _target(request, form_code: str, unit_code: str, period_code: str, *, write: bool = False) -> _Target:
    """What the URL names; 404 for whatever the user may not see or the unit does not report.

    A read (`write` False) only finds a prepared period (`views_periods.NotPrepared` otherwise) and
    never opens a report; an upload (`write`) may prepare the period first, as an explicit action.
    """
    unit = obtain(
        units_for(request.user, Perm.REPORT_VIEW), user=request.user, code__iexact=unit_code.strip()
    )
    form = ReportForm.objects.filter(code__iexact=form_code, is_active=True).first()
    if form is None:
        raise Http404
    try:
        span = periods.period_span(period_code)
    except ValidationError:
        raise Http404 from None
    if span.period_type != form.period_type:
        raise Http404
    policy.require(request.user, Perm.REPORT_ENTER, unit)
    if write:
        period = services.period_get(code=span.code, by=request.user)
    else:
        found = selectors.period_find(span.code)
        if found is None or not selectors.is_prepared(found):
            raise views_periods.NotPrepared(span.code, form)
        period = found
    if not selectors.form_applies(form, rollup.period_unit(period, unit.id)):
        raise Http404  # the unit does not report on this form for this period
    return _Target(form, unit, period, Report.objects.filter(form=form, unit=unit, period=period).first())


@login_required
def template_download(request, form_code: str, unit_code: str, period_code: str):
    """The XLSX template (GET): built from the form, unit and period; nothing is written."""
    try:
        target = _target(request, form_code, unit_code, period_code)
    except views_periods.NotPrepared as missing:
        return views_periods.unprepared(request, missing.code, title=missing.form.name)
    content = xlsx_template.template_build(target.form, target.unit, target.period)
    response = HttpResponse(content, content_type=xlsx_template.CONTENT_TYPE)
    filename = xlsx_template.filename_for(target.form, target.unit, target.period)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def template_upload(request, form_code: str, unit_code: str, period_code: str):
    """The upload page (GET, nothing written) and the upload (POST: opens the draft if need be and
    saves the values, together or not at all)."""
    writing = request.method == "POST"
    try:
        target = _target(request, form_code, unit_code, period_code, write=writing)
    except views_periods.NotPrepared as missing:
        return views_periods.unprepared(request, missing.code, title=_("Upload a filled template"))
    report = target.report
    form = UploadForm(request.POST or None, request.FILES or None, check=xlsx_template.check_upload)
    errors: list[str] = []
    result = None
    if writing and form.is_valid():
        try:
            with transaction.atomic():
                opened = report or services.report_open(
                    form=target.form, unit=target.unit, period=target.period, by=request.user
                )
                result = xlsx_template.template_upload(
                    report=opened, checked=form.cleaned_data["file"], by=request.user
                )
            report = result.report
        except xlsx_template.TemplateRejected as error:
            errors = error.messages
        except PermissionDenied:
            errors = [_("The report is approved: only the level above can correct its values.")]
    context = {
        "report": report,
        "report_form": target.form,
        "unit": target.unit,
        "period": target.period,
        "period_label": xlsx_template.period_label(target.period),
        "deadline": periods.deadline_for(target.form, target.period),
        "form": form,
        "errors": errors,
        "result": result,
    }
    status = 400 if errors or form.errors else 200
    return render(request, "reports/template_upload.html", context, status=status)


@login_required
def import_values(request):
    if not policy.can(request.user, Perm.VALUE_IMPORT, None):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, check=tables.check_upload)
    errors: list[str] = []
    imported = None
    if request.method == "POST" and form.is_valid():
        checked = form.cleaned_data["file"]
        try:
            if len(exchange.read_value_rows(checked)) > settings.JOBS_BACKGROUND_ROWS:
                # A large file: kept and imported in the background, followed on the job's page.
                stored = uploads.store_in(exchange.STORE_FOLDER, checked)
                params = exchange.job_params(stored)
                job = job_services.job_start(kind=exchange.IMPORT_KIND, params=params, by=request.user)
                return redirect("jobs:detail", pk=job.pk)
            imported = exchange.import_values_file(checked=checked, by=request.user)
        except FileRejected as error:
            errors = [str(problem) for problem in error.errors]
        except ValidationError as error:
            errors = exchange.error_lines(error)
    context = {
        "form": form,
        "errors": errors,
        "imported": imported,
        "columns": exchange.VALUE_COLUMNS,
        "optional": exchange.OPTIONAL_COLUMNS,
    }
    status = 400 if errors or form.errors else 200
    return render(request, "reports/import_values.html", context, status=status)


urlpatterns = [
    path("import-values/", import_values, name="import_values"),
    path(
        "<str:form_code>/<str:unit_code>/<str:period_code>/template.xlsx",
        template_download,
        name="template_download",
    ),
    path(
        "<str:form_code>/<str:unit_code>/<str:period_code>/upload/", template_upload, name="template_upload"
    ),
]
