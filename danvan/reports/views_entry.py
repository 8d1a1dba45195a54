"""Pages for entering and handling reports: my reports, the data entry grid, workflow, completeness.

Every view asks `danvan.accounts.policy`. A unit the user may not see answers 404, exactly like a
unit that does not exist; an action on a visible report without the permission answers 403.
Writes go through `services` (values_save, report_transition for the steps of `workflow`): a
ValidationError is shown, nothing half-saved; a Conflict (someone moved the report first) is
shown with a reload, never overwritten.

The grid saves as you go with fetch() (JSON, `grid_save`) and also works as a plain form.

Reads never write: a GET finds the period (`selectors.period_find`) and, when it is not prepared
yet, says so (`views_periods`); the grid of a unit that has not started shows the form's empty
grid, and the first save (a POST) opens the draft and stores the values in one transaction.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, register_converter, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.actors import Actor
from danvan.accounts.permissions import obtain
from danvan.accounts.policy import Perm
from danvan.core import jsonbody
from danvan.core.errors import Conflict
from danvan.core.http import post_only
from danvan.core.templatetags.vn import number, percent
from danvan.orgs.models import Unit
from danvan.orgs.selectors import units_for

from . import derived, forms, periods, rollup, selectors, services, views_periods, workflow
from .models import DataElement, DataValue, ElementRollup, Period, Report, ReportForm, ReportTransition
from .validation import Problem, check

S = Report.Status
PENDING_LIMIT = 200


class FormCodeConverter:
    """A form code starts with a capital letter or a digit ("BC-DV-6T"), so it never takes the
    lower-case words other routes of the module use (completeness, dashboard, …)."""

    regex = r"[A-Z0-9][A-Za-z0-9_.\-]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormCodeConverter, "formcode")


# --- helpers ----------------------------------------------------------------------------------


def _dashboard_url() -> str | None:
    try:
        return reverse("reports:dashboard")
    except NoReverseMatch:
        return None


def _may_see(user, unit: Unit) -> bool:
    return (
        policy.can(user, Perm.REPORT_VIEW, unit)
        or policy.can(user, Perm.REPORT_ENTER, unit)
        or policy.can_above(user, Perm.REPORT_APPROVE, unit)
    )


def _period(code: str, form: ReportForm, *, by: Actor, write: bool = False) -> Period:
    """The period of the URL; 404 for a malformed code or one of another type.

    A read only finds a prepared period (views_periods.NotPrepared otherwise); a write (`write`, a POST) may
    create and prepare it first, as an explicit action.
    """
    try:
        span = periods.period_span(code)
    except ValidationError:
        raise Http404 from None
    if span.period_type != form.period_type:
        raise Http404
    if write:
        return services.period_get(code=span.code, by=by)
    period = selectors.period_find(span.code)
    if period is None or not selectors.is_prepared(period):
        raise views_periods.NotPrepared(span.code, form)
    return period


@dataclass
class Context:
    """What the grid, its save endpoint and its workflow actions share."""

    form: ReportForm
    unit: Unit
    period: Period
    report: Report | None
    rules: frozenset[workflow.Rule]  # the workflow rules the user satisfies on this unit's reports

    @property
    def can_enter(self) -> bool:
        return workflow.Rule.UNIT in self.rules

    @property
    def can_decide(self) -> bool:
        return workflow.Rule.ABOVE in self.rules

    @property
    def editable(self) -> bool:
        if self.report is None:  # the first save opens the draft
            return self.can_enter
        if self.report.is_editable:
            return self.can_enter
        return self.report.status == S.APPROVED and self.can_decide


def _context(
    request: HttpRequest, form_code: str, unit_code: str, period_code: str, *, write: bool = False
) -> Context:
    """What the URL names. Never writes, unless `write` (a save): then the period may be prepared
    first. The report is None until the first save opens it (`_save`)."""
    user = request.user
    unit = obtain(
        Unit.objects.all(), user=user, see=lambda unit: _may_see(user, unit), code__iexact=unit_code.strip()
    )
    form = get_object_or_404(ReportForm, code=form_code, is_active=True)
    period = _period(period_code, form, by=user, write=write)
    if not selectors.form_applies(form, rollup.period_unit(period, unit.id)):
        raise Http404
    rules = workflow.rules_held(request.user, unit)
    report = Report.objects.filter(form=form, unit=unit, period=period).first()
    return Context(form, unit, period, report, rules)


def _save(
    ctx: Context, *, values: dict, comments: dict[str, str], by: Actor, revision: int | None
) -> services.SaveResult:
    """Save cells; the first save opens the draft, in the same transaction (an error keeps neither)."""
    with transaction.atomic():
        report = ctx.report or services.report_open(form=ctx.form, unit=ctx.unit, period=ctx.period, by=by)
        result = services.values_save(
            report=report, values=values, comments=comments, by=by, revision=revision
        )
    ctx.report = result.report
    return result


def _values_of(unit: Unit, period: Period | None) -> dict[str, DataValue]:
    if period is None:
        return {}
    rows = DataValue.objects.filter(unit=unit, period=period, category="").select_related("element")
    return {row.element.code: row for row in rows}


def _counted_below(unit: Unit, period: Period | None, elements: list[DataElement]) -> dict[str, int]:
    """For the derived elements: what the records count at the units below `unit` (the live roll-up).

    A report shows a counted figure for the unit's whole organisation: the meetings of its cells, the
    mediation cases of its cells and of itself; the records link lists the same subtree."""
    derived_ids = {element.id: element.code for element in elements if element.is_derived}
    if period is None or not derived_ids:
        return {}
    rows = ElementRollup.objects.filter(period=period, unit=unit, element_id__in=list(derived_ids))
    return {derived_ids[element_id]: value for element_id, value in rows.values_list("element_id", "value")}


def _shown(element: DataElement, own: DataValue | None, below: dict[str, int]) -> int | None:
    """The value a form shows: typed, the unit's own; counted, the unit's and its subtree's."""
    value = own.value if own else None
    if element.is_derived and element.code in below:
        value = (value or 0) + below[element.code]
    return value


@dataclass
class Row:
    element: DataElement
    previous: int | None
    value: int | None
    typed: str
    comment: str
    error: str = ""
    problem: bool = False
    records_url: str = ""  # a derived value: the list of the records it counts, when its source gives one


def _records_url(element: DataElement, unit: Unit, period: Period) -> str:
    """The address of the records a derived element's value counts at `unit` in `period` ("" if none)."""
    source = derived.SOURCES.get(element.source) if element.is_derived else None
    if source is None or source.records is None:
        return ""
    return source.records(unit.id, period) or ""


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)


def _grid(
    ctx: Context,
    *,
    typed: dict[str, str] | None = None,
    comments: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> tuple[list[Section], list[Problem], Period | None]:
    """The sections of the form with each element's previous and current value, comment and flags."""
    previous_code = periods.shift(ctx.period.code, -1, periods.reporting_start())
    previous_period = Period.objects.filter(code=previous_code).first()
    previous = _values_of(ctx.unit, previous_period)
    current = _values_of(ctx.unit, ctx.period)
    form_sections = list(ctx.form.sections.prefetch_related("fields__element"))
    elements = [form_field.element for section in form_sections for form_field in section.fields.all()]
    below_previous = _counted_below(ctx.unit, previous_period, elements)
    below = _counted_below(ctx.unit, ctx.period, elements)
    sections: list[Section] = []
    for section in form_sections:
        block = Section(section.title)
        for form_field in section.fields.all():
            element = form_field.element
            stored = current.get(element.code)
            value = _shown(element, stored, below)
            block.rows.append(
                Row(
                    element=element,
                    previous=_shown(element, previous.get(element.code), below_previous),
                    value=value,
                    typed=(typed or {}).get(element.code, number(value) if value is not None else ""),
                    comment=(comments or {}).get(element.code, stored.comment if stored else ""),
                    error=(errors or {}).get(element.code, ""),
                    records_url=_records_url(element, ctx.unit, ctx.period),
                )
            )
        sections.append(block)
    values = {row.element.code: row.value for block in sections for row in block.rows}
    problems = check(ctx.form, values) if any(v is not None for v in values.values()) else []
    flagged = {code for problem in problems for code in problem.elements}
    for block in sections:
        for row in block.rows:
            row.problem = row.element.code in flagged
    return sections, problems, previous_period


def _first_messages(error: ValidationError) -> dict[str, str]:
    """element code (or "__all__") → the first message of a services ValidationError."""
    if hasattr(error, "error_dict"):
        return {key: str(messages_[0]) for key, messages_ in error.message_dict.items()}
    return {"__all__": " ".join(error.messages)}


def _actions(ctx: Context) -> list[workflow.Step]:
    """The workflow buttons this user may press on this report, in its current state."""
    if ctx.report is None:
        return []
    return workflow.offered(ctx.report.status, ctx.rules, ctx.form)


def _grid_url(ctx: Context) -> str:
    return reverse("reports:grid", args=[ctx.form.code, ctx.unit.code, ctx.period.code])


def _wants_json(request: HttpRequest) -> bool:
    return (
        "application/json" in request.headers.get("Accept", "") or request.content_type == "application/json"
    )


# --- my reports -------------------------------------------------------------------------------


# What my units must report and what waits for my approval: selectors.due_reports, selectors.pending.


def _completeness_links(user, today: datetime.date) -> list[dict]:
    """For each form: its current and previous period (in words), for the completeness page."""
    if not policy.has_any(user, Perm.REPORT_VIEW):
        return []
    start = periods.reporting_start()
    links = []
    for form in ReportForm.objects.filter(is_active=True):
        current = periods.containing(form.period_type, today, start)
        codes = [periods.shift(current, -1, start), current]
        links.append(
            {
                "form": form,
                "periods": [
                    (
                        periods.period_words(code, start),
                        reverse("reports:completeness", args=[form.code, code]),
                    )
                    for code in codes
                ],
            }
        )
    return links


@login_required
def home(request):
    """My reports: what my units must report now and before, and what waits for my approval."""
    today = timezone.localdate()
    due, unprepared = selectors.due_reports(request.user, today)
    return render(
        request,
        "reports/home.html",
        {
            "due": due,
            "unprepared": [views_periods.notice(request, code) for code in unprepared],
            "pending": selectors.pending(request.user, limit=PENDING_LIMIT),
            "today": today,
            "dashboard_url": _dashboard_url() if policy.has_any(request.user, Perm.REPORT_VIEW) else None,
            "completeness": _completeness_links(request.user, today),
        },
    )


# --- the grid ---------------------------------------------------------------------------------


def _render_grid(
    request, ctx: Context, *, status: int = 200, typed=None, comments=None, errors=None, workflow_form=None
) -> HttpResponse:
    sections, problems, previous_period = _grid(ctx, typed=typed, comments=comments, errors=errors)
    transitions = (
        list(ReportTransition.objects.filter(report=ctx.report).select_related("by")) if ctx.report else []
    )
    context = {
        "ctx": ctx,
        "form": ctx.form,
        "unit": ctx.unit,
        "period": ctx.period,
        "report": ctx.report,
        "editable": ctx.editable,
        "sections": sections,
        "problems": problems,
        "previous_period": previous_period,
        "deadline": periods.deadline_for(ctx.form, ctx.period),
        "actions": _actions(ctx),
        "transitions": transitions,
        "general_error": (errors or {}).get("__all__", ""),
        "workflow_form": workflow_form,
        "save_url": reverse("reports:grid_save", args=[ctx.form.code, ctx.unit.code, ctx.period.code]),
        "action_url": reverse("reports:grid_action", args=[ctx.form.code, ctx.unit.code, ctx.period.code]),
        "completeness_url": reverse("reports:completeness", args=[ctx.form.code, ctx.period.code])
        + f"?unit={ctx.unit.code}",
        "dashboard_url": _dashboard_url(),
    }
    return render(request, "reports/entry_grid.html", context, status=status)


@login_required
def grid(request, form_code: str, unit_code: str, period_code: str):
    """The data entry grid (GET: the form's grid, nothing written, even before the first save), and
    its no-script save of every cell at once (POST: the first save opens the draft)."""
    writing = request.method == "POST"
    try:
        ctx = _context(request, form_code, unit_code, period_code, write=writing)
    except views_periods.NotPrepared as missing:
        return views_periods.unprepared(request, missing.code, title=missing.form.name)
    if not writing:
        return _render_grid(request, ctx)
    if not ctx.editable:
        raise PermissionDenied
    codes = [e.code for e in selectors.form_elements(ctx.form) if not e.is_derived]
    values, comments = forms.cell_values(request.POST, codes)
    try:
        result = _save(
            ctx, values=values, comments=comments, by=request.user, revision=_revision(request.POST)
        )
    except Conflict as conflict:
        messages.error(request, conflict.message)
        return redirect(_grid_url(ctx))
    except ValidationError as error:
        return _render_grid(
            request, ctx, status=400, typed=values, comments=comments, errors=_first_messages(error)
        )
    if result.problems:
        messages.warning(
            request, _("Saved. Some values break the rules below; correct them before submitting.")
        )
    else:
        messages.success(request, _("Saved."))
    return redirect(_grid_url(ctx))


def _revision(data) -> int | None:
    try:
        return int(data.get("revision"))
    except (TypeError, ValueError):
        return None


@login_required
@post_only("reports:grid")
def grid_save(request, form_code: str, unit_code: str, period_code: str):
    """Save some cells (JSON): {values: {code: text}, comments: {code: text}, revision}.

    Answers {saved, display, problems: [{message, elements}], revision, status, opened,
    errors: {code: message}}.
    """
    ctx = _context(request, form_code, unit_code, period_code, write=True)
    try:
        body = jsonbody.request_json(request)
        values, comments = body.get("values") or {}, body.get("comments") or {}
        if not isinstance(values, dict) or not isinstance(comments, dict):
            raise ValueError
    except jsonbody.BodyRefused as refused:  # too large, nested too deeply, not JSON
        return JsonResponse({"saved": {}, "problems": [], "errors": {"__all__": refused.message}}, status=400)
    except (ValueError, AttributeError):
        return JsonResponse(
            {"saved": {}, "problems": [], "errors": {"__all__": _("The request is malformed.")}}, status=400
        )
    revision = _revision(body)
    if ctx.report is None and not ctx.can_enter:
        raise PermissionDenied
    opening = ctx.report is None  # this save opens the draft: its workflow shows on reload
    try:
        result = _save(
            ctx,
            values=values,
            comments={k: str(v or "") for k, v in comments.items()},
            by=request.user,
            revision=revision,
        )
    except Conflict as conflict:
        return JsonResponse(
            {
                "saved": {},
                "problems": [],
                "revision": _current_revision(ctx),
                "errors": {"__all__": conflict.message},
            },
            status=409,
        )
    except ValidationError as error:
        return JsonResponse(
            {
                "saved": {},
                "problems": [],
                "revision": _current_revision(ctx),
                "errors": _first_messages(error),
            },
            status=400,
        )
    return JsonResponse(
        {
            "saved": result.saved,
            "display": {
                code: number(value) if value is not None else "" for code, value in result.saved.items()
            },
            "problems": [{"message": p.message, "elements": p.elements} for p in result.problems],
            "revision": result.report.revision,
            "status": result.report.get_status_display(),
            "opened": opening,
            "errors": {},
        }
    )


def _current_revision(ctx: Context) -> int | None:
    return (
        Report.objects.filter(pk=ctx.report.pk).values_list("revision", flat=True).first()
        if ctx.report
        else None
    )


@login_required
@post_only("reports:grid")
def grid_action(request, form_code: str, unit_code: str, period_code: str):
    """A workflow step (`workflow.STEPS`) with the revision the user saw."""
    try:
        ctx = _context(request, form_code, unit_code, period_code)
    except views_periods.NotPrepared:
        raise Http404 from None  # no period yet, so no report to act on
    as_json = _wants_json(request)
    data = request.POST
    if request.content_type == "application/json":
        try:
            data = jsonbody.request_json(request)
        except jsonbody.BodyRefused as refused:  # a JSON body is answered in JSON (_wants_json)
            return JsonResponse({"errors": {"__all__": refused.message}}, status=400)
        if not isinstance(data, dict):
            data = {}
    step_form = forms.WorkflowForm(data)
    if ctx.report is None:
        raise Http404
    if not step_form.is_valid():
        if as_json:
            errors = {k: str(v[0]) for k, v in step_form.errors.items()}
            return JsonResponse({"errors": errors, "revision": ctx.report.revision}, status=400)
        return _render_grid(request, ctx, status=400, workflow_form=step_form)
    step = workflow.STEP[step_form.cleaned_data["action"]]
    try:
        report = services.report_transition(
            report=ctx.report,
            action=step.name,
            by=request.user,
            revision=step_form.cleaned_data["revision"],
            reason=step_form.cleaned_data["reason"] or "",
        )
    except Conflict as conflict:
        if as_json:
            return JsonResponse(
                {"errors": {"__all__": conflict.message}, "revision": _current_revision(ctx)}, status=409
            )
        messages.error(request, conflict.message)
        return redirect(_grid_url(ctx))
    except PermissionDenied:
        raise
    except ValidationError as error:
        found = _first_messages(error)
        if as_json:
            return JsonResponse({"errors": found, "revision": _current_revision(ctx)}, status=400)
        for message in found.values():
            messages.error(request, message)
        return redirect(_grid_url(ctx))
    if as_json:
        return JsonResponse({"status": report.status, "revision": report.revision, "errors": {}})
    messages.success(request, step.done)
    return redirect(_grid_url(ctx))


# --- completeness -----------------------------------------------------------------------------

STATE_LABELS = {
    "on_time": ("ok", gettext_lazy("On time")),
    "late": ("warn", gettext_lazy("Late")),
    "overdue": ("bad", gettext_lazy("Overdue, not submitted")),
    "missing": ("", gettext_lazy("Not submitted yet")),
}


def _completeness_unit(request) -> Unit | None:
    """The unit whose subtree is counted: ?unit=CODE if visible (else 404), or the user's first."""
    code = request.GET.get("unit", "").strip()
    if code:
        return obtain(units_for(request.user, Perm.REPORT_VIEW), user=request.user, code__iexact=code)
    paths = policy.scope_paths(request.user, Perm.REPORT_VIEW)
    if paths is None:
        return Unit.objects.filter(Q(valid_to__isnull=True)).order_by("path").first()
    if not paths:
        raise Http404
    return Unit.objects.filter(path=paths[0]).first()


@login_required
def completeness(request, form_code: str, period_code: str):
    """Expected, submitted, on time, late and missing reports of a form and period in a subtree."""
    form = get_object_or_404(ReportForm, code=form_code)
    unit = _completeness_unit(request)
    if unit is None:
        raise Http404
    try:
        period = _period(period_code, form, by=request.user)
    except views_periods.NotPrepared as missing:
        return views_periods.unprepared(
            request,
            missing.code,
            title=_("Completeness") + f": {form.name}",
            back=reverse("reports:home"),
        )
    place = rollup.period_unit(period, unit.id)
    if place is None:
        summary, rows = selectors.Completeness(), []
    else:
        summary, rows = selectors.completeness(form=form, period=period, within=place.path)
    rate = summary.rate
    shown = []
    for row in rows:
        if not policy.can(request.user, Perm.REPORT_VIEW, row["unit"]):
            continue  # moved out of the user's scope since: counted, not listed
        css, label = STATE_LABELS[row["state"]]
        report = row["report"]
        shown.append(
            {
                **row,
                "css": css,
                "label": label,
                "status": report.get_status_display() if report else _("No report"),
                "link": policy.can(request.user, Perm.REPORT_VIEW, row["unit"]),
            }
        )
    start = periods.reporting_start()
    return render(
        request,
        "reports/completeness.html",
        {
            "form": form,
            "unit": unit,
            "period": period,
            "summary": summary,
            "rate": percent(Decimal(rate.numerator) / Decimal(rate.denominator)) if rate is not None else "—",
            "rows": shown,
            "deadline": periods.deadline_for(form, period),
            "previous_code": periods.shift(period.code, -1, start),
            "next_code": periods.shift(period.code, 1, start),
            "dashboard_url": _dashboard_url(),
        },
    )


urlpatterns = [
    path("", home, name="home"),
    path("completeness/<formcode:form_code>/<str:period_code>/", completeness, name="completeness"),
    path("<formcode:form_code>/<str:unit_code>/<str:period_code>/", grid, name="grid"),
    path("<formcode:form_code>/<str:unit_code>/<str:period_code>/save/", grid_save, name="grid_save"),
    path("<formcode:form_code>/<str:unit_code>/<str:period_code>/action/", grid_action, name="grid_action"),
]
