"""Pages for following cases: overdue and due-soon lists, statistics, patterns (suggested duplicates).

Every page needs CASE_VIEW somewhere (else 403) and shows only cases of the subtrees where the
user holds it (`policy.scope`). A unit typed in a filter that the user may not see is answered
like a unit that does not exist. Pairs of cases (duplicates, repeats) are shown only when the
user may see both; a pair found by its submitter where either case protects its sender (a
denunciation) only to those who may see both identities (selectors.visible_flags). Linking or
dismissing needs CASE_HANDLE at both cases' units. No page and no export shows who sent a case.
Exports are recorded in the audit log.
"""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Length
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.permissions import obtain
from danvan.accounts.policy import Perm
from danvan.audit.models import AuditEvent
from danvan.audit.services import record
from danvan.core.dates import day_text
from danvan.core.http import post_only
from danvan.core.paths import PATH_SEGMENT, path_upper_bound
from danvan.core.tables import Column, Sheet, workbook, xlsx_response
from danvan.orgs.fields import unit_filter
from danvan.orgs.models import Unit
from danvan.reports.periods import period_words

from .. import selectors, services, stats
from ..models import CaseFlag

PAGE_SIZE = 50
EXPORT_LIMIT = 20_000
STATUSES = ("all", selectors.OVERDUE, selectors.SOON)


def _require_view(user) -> None:
    if not policy.has_any(user, Perm.CASE_VIEW):
        raise PermissionDenied


def _top_units(user) -> list[Unit]:
    """The units at the top of the user's CASE_VIEW subtrees (the active roots, for operators)."""
    paths = policy.scope_paths(user, Perm.CASE_VIEW)
    if paths is None:
        roots = Unit.objects.annotate(path_length=Length("path")).filter(path_length=PATH_SEGMENT)
        return [unit for unit in roots.order_by("code") if unit.is_active]
    return list(Unit.objects.filter(path__in=paths).order_by("code"))


def _unit_filter(request) -> tuple[Unit | None, str, forms.Form]:
    """The unit named in ?unit= by its code or a name (None when empty), an error message when it is
    unknown, not visible or ambiguous, and the unit picker's form showing it."""
    picker = unit_filter(request.GET, user=request.user, perm=Perm.CASE_VIEW, label=_("Unit"))
    typed = (picker["unit"].data or "").strip()
    if not typed:
        return None, "", picker
    if picker.is_valid():
        unit = picker.cleaned_data["unit"]
        return (
            unit,
            "",
            unit_filter(None, user=request.user, perm=Perm.CASE_VIEW, label=_("Unit"), current=unit),
        )
    return None, " ".join(picker.errors["unit"]), picker


def _audit_export(request, *, what: str, model: str, unit: Unit | None, rows: int) -> None:
    record(
        action=AuditEvent.Action.EXPORT,
        model=model,
        object_repr=what,
        unit=unit,
        changes={"format": "xlsx", "filter": request.GET.dict(), "rows": rows},
    )


def _xlsx_response(sheets: list[Sheet], name: str) -> FileResponse:
    return xlsx_response(workbook(sheets), filename=f"{slugify(name)}.xlsx")


# ---------------------------------------------------------------- overdue and due soon


def _due_rows(request, today: datetime.date):
    """The scoped, filtered clocks of the page, and the filter's state."""
    unit, error, picker = _unit_filter(request)
    status = request.GET.get("status") if request.GET.get("status") in STATUSES else "all"
    below = request.GET.get("below", "1") != "0"
    query = (request.GET.get("q") or "").strip()[:40]
    qs = policy.scope(request.user, Perm.CASE_VIEW, selectors.due_clocks(today=today), "case__unit__path")
    if error:
        qs = qs.none()
    elif unit is not None:
        if below:
            qs = qs.filter(case__unit__path__gte=unit.path, case__unit__path__lt=path_upper_bound(unit.path))
        else:
            qs = qs.filter(case__unit=unit)
    if status == selectors.OVERDUE:
        qs = qs.filter(due_on__lt=today)
    elif status == selectors.SOON:
        qs = qs.filter(due_on__gte=today)
    if query:
        qs = qs.filter(Q(case__reference__icontains=query) | Q(case__subject__icontains=query))
    state = {
        "unit": unit,
        "unit_error": error,
        "unit_picker": picker,
        "status": status,
        "below": below,
        "q": query,
    }
    return qs, state


def _row(clock, today: datetime.date) -> dict:
    status = selectors.status_of(clock, today)
    return {
        "clock": clock,
        "case": clock.case,
        "status": status,
        "days": abs((clock.due_on - today).days),
        "link": selectors.case_path(clock.case),
    }


@login_required
def overdue(request):
    _require_view(request.user)
    today = timezone.localdate()
    qs, state = _due_rows(request, today)
    if request.GET.get("format") == "xlsx":
        return _overdue_xlsx(request, qs, state, today)
    totals = qs.order_by().aggregate(
        overdue=Count("id", filter=Q(due_on__lt=today)), soon=Count("id", filter=Q(due_on__gte=today))
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **state,
        "today": today,
        "soon_limit": selectors.soon_limit(today),
        "soon_days": selectors.SOON_WORKING_DAYS,
        "rows": [_row(clock, today) for clock in page.object_list],
        "page": page,
        "totals": totals,
        "query_string": query.urlencode(),
        "section": "overdue",
    }
    return render(request, "voice/lists/overdue.html", context)


def _overdue_xlsx(request, qs, state, today: datetime.date) -> HttpResponseBase:
    total = qs.count()
    if total > EXPORT_LIMIT:
        messages.error(
            request,
            _("The filter selects %(total)s cases; narrow it to at most %(limit)s to export.")
            % {
                "total": number_format(total, force_grouping=True),
                "limit": number_format(EXPORT_LIMIT, force_grouping=True),
            },
        )
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(f"{reverse('voice:overdue')}?{query.urlencode()}")
    rows = []
    for clock in qs[:EXPORT_LIMIT]:
        case = clock.case
        status = selectors.status_of(clock, today)
        rows.append(
            [
                case.reference,
                case.subject,
                case.get_kind_display(),
                case.unit.name,
                (case.handler.get_full_name() or case.handler.get_username()) if case.handler else "",
                clock.get_step_display(),
                day_text(clock.due_on),
                _("Overdue") if status == selectors.OVERDUE else _("Due soon"),
                abs((clock.due_on - today).days),
                case.get_state_display(),
            ]
        )
    unit = state["unit"]
    title = _("Overdue and due-soon cases on %(day)s") % {"day": day_text(today)}
    if unit is not None:
        title += f" — {unit.name}"
    table = Sheet(
        name=_("Overdue and due soon"),
        title=title,
        columns=[
            Column(_("Reference"), width=14),
            Column(_("Subject"), width=40),
            Column(_("Kind"), width=18),
            Column(_("Unit"), width=28),
            Column(_("Handler"), width=22),
            Column(_("Step"), width=20),
            Column(_("Due date"), width=12),
            Column(_("Status"), width=12),
            Column(_("Days late or left"), "count", 10),
            Column(_("State"), width=16),
        ],
        rows=rows,
    )
    response = _xlsx_response([table], f"han-xu-ly-{today:%Y%m%d}")
    _audit_export(
        request, what=_("Overdue and due-soon cases export"), model="voice.clock", unit=unit, rows=total
    )
    return response


# ---------------------------------------------------------------- statistics


def _default_period(today: datetime.date) -> str:
    return str(today.year)


@login_required
def statistics(request):
    _require_view(request.user)
    today = timezone.localdate()
    unit, error, picker = _unit_filter(request)
    tops = _top_units(request.user)
    if unit is None and not error:
        unit = tops[0] if tops else None
        if unit is not None:
            picker = unit_filter(None, user=request.user, perm=Perm.CASE_VIEW, label=_("Unit"), current=unit)
    code = (request.GET.get("period") or _default_period(today)).strip().upper()[:20]
    dimension = request.GET.get("by") if request.GET.get("by") in stats.DIMENSIONS else "kind"
    span, period_error = None, ""
    try:
        span = stats.period_span(code)
    except ValidationError as problem:
        period_error = " ".join(problem.messages)
    data = stats.breakdown(unit, span, dimension) if unit is not None and span is not None else None
    if data is not None and request.GET.get("format") == "xlsx":
        tables = _stats_tables(data)
        _audit_export(
            request,
            what=_("Case statistics export"),
            model="voice.case",
            unit=unit,
            rows=sum(len(table.rows) for table in tables),
        )
        return _xlsx_response(tables, f"thong-ke-don-thu-{unit.code}-{span.code}")
    context = {
        "unit": unit,
        "unit_error": error,
        "period": code,
        "span": span,
        "period_error": period_error,
        "dimension": dimension,
        "dimensions": [(key, label) for key, (label, _choices) in stats.DIMENSIONS.items()],
        "data": data,
        "totals": data.totals if data else None,
        "unit_picker": picker,
        "section": "stats",
    }
    return render(request, "voice/lists/stats.html", context)


def _rate_cells(rate: stats.Rate) -> list:
    return [rate.numerator, rate.denominator, rate.percent]


def _stats_tables(data: stats.Breakdown) -> list[Sheet]:
    place = f"{data.unit.name}, {period_words(data.span.code, dated=True)}"

    def label(row: stats.Branch) -> str:
        return _("%(unit)s (own cases)") % {"unit": row.unit.name} if row.own else row.unit.name

    dimension_label = str(stats.DIMENSIONS[data.dimension][0])
    counts = Sheet(
        name=_("Cases received"),
        title=_("Cases received by %(dimension)s: %(place)s")
        % {"dimension": dimension_label.lower(), "place": place},
        columns=[
            Column(_("Unit"), width=34),
            *[Column(heading, "count", 12) for _value, heading in data.columns],
            Column(_("Total"), "count", 10),
            Column(_("Mass cases"), "count", 10),
            Column(_("Over-level"), "count", 10),
        ],
    )
    rows = [*data.rows, data.totals]
    for index, row in enumerate(rows):
        name = _("Total") if index == len(rows) - 1 else label(row)
        counts.rows.append(
            [
                name,
                *row.values,
                row.total,
                row.mass,
                row.over_level,
            ]
        )
    on_time = Sheet(
        name=_("On time"),
        title=_("Statutory periods kept: %(place)s") % {"place": place},
        columns=[
            Column(_("Unit"), width=34),
            Column(_("Accepted on time"), "count", 12),
            Column(_("Acceptance decisions"), "count", 12),
            Column(_("Rate"), "rate", 10),
            Column(_("Resolved on time"), "count", 12),
            Column(_("Cases resolved"), "count", 12),
            Column(_("Rate"), "rate", 10),
        ],
    )
    for index, row in enumerate(rows):
        name = _("Total") if index == len(rows) - 1 else label(row)
        on_time.rows.append([name, *_rate_cells(row.accept), *_rate_cells(row.resolve)])
    return [counts, on_time]


# ---------------------------------------------------------------- patterns


@login_required
def flags(request):
    _require_view(request.user)
    unit, error, picker = _unit_filter(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in CaseFlag.Kind.values else ""
    qs = selectors.visible_flags(request.user, kinds=[kind] if kind else None, unit=unit)
    if error:
        qs = qs.none()
    page = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [
        {
            "flag": flag,
            "link": selectors.case_path(flag.case),
            "other_link": selectors.case_path(flag.other_case) if flag.other_case_id else "",
            "may_act": flag.other_case_id is not None and selectors.may_act(request.user, flag),
            "percent": float(flag.score) * 100 if flag.score is not None else None,
        }
        for flag in page.object_list
    ]
    counts = dict(
        selectors.visible_flags(request.user).order_by().values_list("kind").annotate(n=Count("id"))
    )
    context = {
        "rows": rows,
        "page": page,
        "kind": kind,
        "kinds": CaseFlag.Kind.choices,
        "kind_counts": [(value, label, counts.get(value, 0)) for value, label in CaseFlag.Kind.choices],
        "unit": unit,
        "unit_error": error,
        "unit_picker": picker,
        "query_string": query.urlencode(),
        "section": "flags",
    }
    return render(request, "voice/lists/flags.html", context)


def _flag_to_handle(request, pk: int) -> CaseFlag:
    """A flag the user may see (404 otherwise) and act on: CASE_HANDLE at every case it names (403 otherwise)."""
    flag = obtain(selectors.visible_flags(request.user), user=request.user, pk=pk)
    if not selectors.may_act(request.user, flag):
        raise PermissionDenied
    return flag


def _back(request) -> str:
    target = request.POST.get("next") or ""
    if target.startswith(reverse("voice:flags")):
        return target
    return reverse("voice:flags")


@login_required
@post_only("voice:flags", keep=())
def flag_link(request, pk: int):
    flag = _flag_to_handle(request, pk)
    try:
        services.flag_link(flag=flag, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(
            request,
            _("Cases %(case)s and %(other)s are linked.")
            % {"case": flag.case.reference, "other": flag.other_case.reference},
        )
    return redirect(_back(request))


@login_required
@post_only("voice:flags", keep=())
def flag_dismiss(request, pk: int):
    flag = _flag_to_handle(request, pk)
    try:
        services.flag_dismiss(flag=flag, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("The suggestion was dismissed."))
    return redirect(_back(request))
