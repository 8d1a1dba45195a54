"""XLSX templates of a report and their upload; the administrators' bulk values import.

- template_download: /reports/<form>/<unit>/<period>/template.xlsx, the protected template.
- template_upload: /reports/<form>/<unit>/<period>/upload/, a filled template → values_save,
  all or nothing, errors per cell.
- import_values: /reports/import-values/, a bulk values CSV/XLSX (VALUE_IMPORT at a root).

A unit the user may not see, an unknown form or period, or a form the unit does not report on
answers 404; a visible unit without REPORT_ENTER answers 403.
"""

from collections.abc import Callable

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.permissions import obtain
from danvan.accounts.policy import Perm
from danvan.core import tables, uploads
from danvan.core.tables import FileRejected
from danvan.orgs.selectors import units_for

from . import exchange, periods, services, xlsx_template
from .models import Report, ReportForm


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


def _report(request, form_code: str, unit_code: str, period_code: str) -> Report:
    """The report of the URL, opened as a draft if need be; 404 for whatever the user may not see."""
    unit = obtain(
        units_for(request.user, Perm.REPORT_VIEW), user=request.user, code__iexact=unit_code.strip()
    )
    form = ReportForm.objects.filter(code__iexact=form_code, is_active=True).first()
    if form is None:
        raise Http404
    try:
        period = services.period_get(code=period_code, by=request.user)
    except ValidationError:
        raise Http404 from None
    policy.require(request.user, Perm.REPORT_ENTER, unit)
    try:
        return services.report_open(form=form, unit=unit, period=period, by=request.user)
    except ValidationError:
        raise Http404 from None  # the unit does not report on this form for this period


@login_required
def template_download(request, form_code: str, unit_code: str, period_code: str):
    report = _report(request, form_code, unit_code, period_code)
    response = HttpResponse(xlsx_template.template_build(report), content_type=xlsx_template.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{xlsx_template.filename_for(report)}"'
    return response


@login_required
def template_upload(request, form_code: str, unit_code: str, period_code: str):
    report = _report(request, form_code, unit_code, period_code)
    form = UploadForm(request.POST or None, request.FILES or None, check=xlsx_template.check_upload)
    errors: list[str] = []
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = xlsx_template.template_upload(
                report=report, checked=form.cleaned_data["file"], by=request.user
            )
            report = result.report
        except xlsx_template.TemplateRejected as error:
            errors = error.messages
        except PermissionDenied:
            errors = [_("The report is approved: only the level above can correct its values.")]
    context = {
        "report": report,
        "period_label": xlsx_template.period_label(report.period),
        "deadline": periods.deadline_for(report.form, report.period),
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
        try:
            imported = exchange.import_values_file(checked=form.cleaned_data["file"], by=request.user)
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
