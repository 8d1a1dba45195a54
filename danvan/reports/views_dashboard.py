"""Dashboards, their XLSX export, and the catalogue pages (data elements, indicators, targets).

The dashboard of a unit and period shows the target attainment table, a bar chart of one
indicator by child unit, its trend over the last six periods of the same type and the
completeness of the forms of that period type; each child links to its own dashboard. All of it
is read from the live roll-up (selectors.py), so it is never stale. A period that is not prepared
yet is never prepared by opening a dashboard: the page says so (`views_periods`).

A unit outside the user's REPORT_VIEW scope answers 404, as if it did not exist. The catalogue is
readable by anyone holding REPORT_VIEW somewhere; targets are edited by CATALOGUE_MANAGE held at
a root. After a target changes, every prepared period re-evaluates targets and recounts met units
in the same transaction, so dashboards stay live.
"""

import datetime
from dataclasses import dataclass, field, replace

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts import policy
from danvan.accounts.actors import Actor
from danvan.accounts.permissions import AtRoot, obtain, require_somewhere
from danvan.accounts.policy import Perm
from danvan.core import replica
from danvan.core.dates import day_text
from danvan.core.http import post_only
from danvan.core.paths import PATH_SEGMENT
from danvan.core.tables import Column, Sheet, workbook, xlsx_response
from danvan.core.templatetags.vn import number
from danvan.orgs.fields import unit_filter
from danvan.orgs.models import Unit, UnitGroup
from danvan.orgs.selectors import unit_by_code, units_for

from . import charts, panels, periods, rollup, selectors, services, sources, views_periods
from .models import DataElement, Indicator, IndicatorTerm, Period, PeriodUnit, ReportForm, Target
from .selectors import Figures

TREND_LENGTH = 6
CHILDREN_PAGE = 50  # child units per page of the chart and table by unit (the Excel file holds them all)


def period_name(period: Period, start: tuple[int, int] | None = None) -> str:
    """A period in words ("6 tháng đầu năm 2026"): the one place the dashboards and the ranking name
    a period (`start`: the reporting year's start, when the caller has read it already)."""
    return periods.period_words(period, start)


# ---------------------------------------------------------------- unit, period, indicator


def _default_unit(user) -> Unit:
    """The user's top unit where they may view reports (a root for superusers)."""
    paths = policy.scope_paths(user, Perm.REPORT_VIEW)
    if paths is None:
        unit = Unit.objects.filter(path__regex=rf"^.{{{PATH_SEGMENT}}}$").order_by("code").first()
    else:
        top = sorted(paths, key=lambda p: (len(p), p))
        unit = Unit.objects.filter(path=top[0]).first() if top else None
    if unit is None:
        raise Http404
    return unit


def _unit(request) -> tuple[Unit, forms.Form]:
    """The unit the dashboard shows and the unit picker's form: ?unit= names it by its code (one out of
    reach answers 404) or by a name typed without JavaScript (several matching: the picker lists them
    and the dashboard stays on the user's top unit)."""
    picker = unit_filter(request.GET, user=request.user, perm=Perm.REPORT_VIEW, label=_("Unit"))
    typed = (picker["unit"].data or "").strip()
    if typed and unit_by_code(typed) is not None:
        unit = obtain(units_for(request.user, Perm.REPORT_VIEW), user=request.user, code__iexact=typed)
    elif typed and picker.is_valid():
        unit = picker.cleaned_data["unit"]
    else:
        unit = _default_unit(request.user)
    if not picker.errors:
        picker = unit_filter(None, user=request.user, perm=Perm.REPORT_VIEW, label=_("Unit"), current=unit)
    return unit, picker


def default_period_code(today: datetime.date | None = None) -> str:
    """The latest semi-annual period that has ended."""
    today = today or timezone.localdate()
    start = periods.reporting_start()
    code = periods.containing("semiannual", today, start)
    if periods.span(code, start).end >= today:
        code = periods.shift(code, -1, start)
    return code


def _period(request) -> tuple[str, Period | None]:
    """The code asked for (or the default) and its period when it is prepared; never creates one."""
    code = (request.GET.get("period") or "").strip()
    if code:
        try:
            code = periods.period_span(code).code
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            code = ""
    code = code or default_period_code()
    period = selectors.period_find(code)
    return code, period if selectors.is_prepared(period) else None


def _indicator(request, indicators: list[Indicator]) -> Indicator | None:
    code = (request.GET.get("indicator") or "").strip().upper()
    chosen = next((i for i in indicators if i.code == code), None)
    return chosen or (indicators[0] if indicators else None)


# ---------------------------------------------------------------- what the dashboard shows


def target_text(target: Target | None, indicator: Indicator) -> str:
    """ "≥ 80 %" (without reading the target's indicator again)."""
    if target is None:
        return "—"
    return f"{target.get_comparator_display()} {charts.format_value(target.value, indicator)}"


def met_text(met: bool | None) -> str:
    return {True: _("Met"), False: _("Not met")}.get(met, "—")


@dataclass
class Row:
    """One line of a dashboard table: the figures and what the page prints of them."""

    figures: Figures
    label: str = ""
    unit: Unit | None = None
    link: bool = False  # the user may open this unit's dashboard

    @property
    def value_text(self) -> str:
        return charts.format_value(self.figures.value, self.figures.indicator)

    @property
    def target_text(self) -> str:
        return target_text(self.figures.target, self.figures.indicator)

    @property
    def met_text(self) -> str:
        return met_text(self.figures.met)

    @property
    def met_class(self) -> str:
        return {True: "met", False: "not-met"}.get(self.figures.met, "no-target")

    @property
    def units_text(self) -> str:
        if not self.figures.target_units:
            return "—"
        return _("%(met)s/%(total)s units met") % {
            "met": number(self.figures.met_units),
            "total": number(self.figures.target_units),
        }


@dataclass
class Dashboard:
    unit: Unit
    period: Period
    place: PeriodUnit | None
    indicator: Indicator | None
    attainment: list[Row] = field(default_factory=list)
    children: list[Row] = field(default_factory=list)
    trend: list[Row] = field(default_factory=list)


def _children(user, unit: Unit, period: Period, indicator: Indicator) -> list[Row]:
    """The children's rows, read in a constant number of queries whatever their number."""
    places = selectors.child_places(unit, period)
    units = Unit.objects.in_bulk([place.unit_id for place in places])
    # A child that has since moved out of the user's scope is not shown (it still counts in the total).
    shown = [units[place.unit_id] for place in places]
    shown = [child for child in shown if policy.can(user, Perm.REPORT_VIEW, child)]
    found = selectors.figures_many(units=shown, period=period, indicators=[indicator])
    rows = [
        Row(figures=found[child.id, indicator.id], label=child.name, unit=child, link=True) for child in shown
    ]
    return by_value(sorted(rows, key=lambda row: row.unit.code))


def by_value(rows: list[Row]) -> list[Row]:
    """Highest value first, as the chart draws them; rows without a figure last, in their order."""
    with_value = [row for row in rows if row.figures.value is not None]
    without = [row for row in rows if row.figures.value is None]
    return sorted(with_value, key=lambda row: row.figures.value, reverse=True) + without  # type: ignore[arg-type, return-value]


def _trend(unit: Unit, period: Period, indicator: Indicator) -> list[Row]:
    start = periods.reporting_start()
    codes = [periods.shift(period.code, -steps, start) for steps in range(TREND_LENGTH - 1, 0, -1)]
    # Only periods that hold figures already: opening a dashboard never prepares old periods.
    known = {p.code: p for p in Period.objects.filter(code__in=codes, sources_refreshed_at__isnull=False)}
    series = [known[code] for code in codes if code in known] + [period]
    return [
        Row(figures=f, label=periods.period_words(f.period, start))
        for f in selectors.series(unit=unit, periods_=series, indicator=indicator)
    ]


def dashboard_data(
    user,
    unit: Unit,
    period: Period,
    indicator: Indicator | None,
    parts=("attainment", "children", "trend"),
    indicators: list[Indicator] | None = None,
) -> Dashboard:
    data = Dashboard(unit=unit, period=period, place=rollup.period_unit(period, unit.id), indicator=indicator)
    indicators = indicators if indicators is not None else list(Indicator.objects.all())
    if "attainment" in parts:
        data.attainment = [
            Row(figures=f, label=f.indicator.name)
            for f in selectors.table(unit=unit, period=period, indicators=indicators)
        ]
    if indicator is not None and "children" in parts:
        data.children = _children(user, unit, period, indicator)
    if indicator is not None and "trend" in parts:
        data.trend = _trend(unit, period, indicator)
    return data


def _completeness(data: Dashboard) -> list[dict]:
    if data.place is None:
        return []
    result = []
    for form in ReportForm.objects.filter(period_type=data.period.period_type, is_active=True):
        summary, _rows = selectors.completeness(form=form, period=data.period, within=data.place.path)
        rate = summary.rate
        result.append({"form": form, "summary": summary, "rate": float(rate) if rate is not None else None})
    return result


def _ancestors(user, data: Dashboard) -> list[Unit]:
    """The units above this one in the period's tree that the user may open (the way back up)."""
    if data.place is None:
        return []
    units = Unit.objects.in_bulk(selectors.ancestors_of(data.place))
    return [
        units[i]
        for i in selectors.ancestors_of(data.place)
        if i in units and policy.can(user, Perm.REPORT_VIEW, units[i])
    ]


def _charts(data: Dashboard) -> dict:
    indicator = data.indicator
    if indicator is None:
        return {}
    # The trend ends with this period, already named in words (naming reads the reporting calendar).
    period = data.trend[-1].label if data.trend else period_name(data.period)
    bars = [
        charts.Bar(row.unit.name, row.figures.value, row.figures.met, row.value_text, row.target_text)
        for row in data.children
    ]
    title = _("%(indicator)s by unit, %(period)s") % {"indicator": indicator.name, "period": period}
    targets = target_lines([row.figures.target for row in data.children], indicator)
    bar = (
        charts.bar_chart(
            bars,
            chart_id="chart-units",
            title=title,
            description=chart_summary(data.children),
            targets=targets,
        )
        if bars
        else ""
    )
    narrow = (
        charts.bar_chart(
            bars,
            chart_id="chart-units-narrow",
            title=title,
            description=chart_summary(data.children),
            targets=targets,
            layout=charts.NARROW,
        )
        if bars
        else ""
    )
    # On paper a long chart is cut into parts that each fit a page (shown only when printing).
    printed = (
        charts.bar_chart_parts(bars, chart_id="chart-units-print", title=title, targets=targets)
        if len(bars) > charts.PRINT_ROWS
        else []
    )
    trend = charts.column_chart(
        [
            charts.Column(
                row.label,
                row.figures.value,
                row.figures.met,
                row.value_text,
                row.figures.target.value if row.figures.target else None,
                row.target_text if row.figures.target else "",
            )
            for row in data.trend
        ],
        chart_id="chart-trend",
        title=_("%(indicator)s over the last periods, %(unit)s")
        % {"indicator": indicator.name, "unit": data.unit.name},
        description=chart_summary(data.trend),
    )
    return {"bar_chart": bar, "bar_chart_narrow": narrow, "bar_chart_print": printed, "line_chart": trend}


def target_lines(targets: list[Target | None], indicator: Indicator) -> list[charts.TargetLine]:
    """One dashed line per distinct target among the units drawn, labelled "Chỉ tiêu ≥ 100 %"."""
    distinct = {(t.comparator, t.value): t for t in targets if t is not None}
    return [
        charts.TargetLine(value=t.value, text=_("Target %(target)s") % {"target": target_text(t, indicator)})
        for _key, t in sorted(distinct.items(), key=lambda item: item[0][1], reverse=True)
    ]


def chart_summary(rows: list[Row]) -> str:
    """What a chart shows, in one sentence for screen readers (the table beside it has every figure)."""
    with_value = [row for row in rows if row.figures.value is not None]
    counts = {
        "total": number(len(rows)),
        "met": number(sum(row.figures.met is True for row in rows)),
        "not_met": number(sum(row.figures.met is False for row in rows)),
        "none": number(len(rows) - len(with_value)),
    }
    text = (
        _("%(total)s bars: %(met)s meet the target, %(not_met)s do not, %(none)s have no figures yet.")
        % counts
    )
    if with_value:
        high = max(with_value, key=lambda row: row.figures.value)  # type: ignore[arg-type, return-value]
        low = min(with_value, key=lambda row: row.figures.value)  # type: ignore[arg-type, return-value]
        text += " " + _("Highest: %(high)s (%(high_value)s); lowest: %(low)s (%(low_value)s).") % {
            "high": high.label,
            "high_value": high.value_text,
            "low": low.label,
            "low_value": low.value_text,
        }
    return text


def _dates(period: Period | None) -> str:
    return f"{day_text(period.start)} – {day_text(period.end)}" if period else ""


def _period_choices(current: Period) -> list[tuple[str, str]]:
    """(code, words) of the recent prepared periods, the one shown first when it is not among them."""
    recent = list(selectors.prepared_periods().order_by("-start", "period_type")[:12])
    if current.code not in {period.code for period in recent}:
        recent.insert(0, current)
    return [(period.code, periods.period_words(period)) for period in recent]


def _panels(request, unit: Unit, period: Period | None) -> list[panels.Shown]:
    """What the modules above add after the tables (`panels`): the emulation ranking of the units below."""
    return panels.rendered(request, unit, period) if period is not None else []


@login_required
def dashboard(request):
    unit, unit_picker = _unit(request)
    code, period = _period(request)
    indicators = list(Indicator.objects.all())
    indicator = _indicator(request, indicators)
    if period is None:  # not prepared yet: say so (the nightly job prepares it); a read writes nothing
        return render(
            request,
            "reports/dashboard.html",
            {
                "unit": unit,
                "period": views_periods.placeholder(code),
                "indicator": indicator,
                "indicators": indicators,
                "unit_picker": unit_picker,
                "recent_periods": _period_choices(views_periods.placeholder(code)),
                "notice": views_periods.notice(request, code),
                "period_dates": _dates(views_periods.placeholder(code)),
                "panels": _panels(request, unit, views_periods.placeholder(code)),
            },
        )
    if request.GET.get("format") == "xlsx":
        return _xlsx(request, unit, period, indicator)
    # The figures may come from the read replica when there is one (core.replica): a moment old at most.
    with replica.reading():
        data = dashboard_data(request.user, unit, period, indicator, indicators=indicators)
    ancestors = _ancestors(request.user, data)
    # A unit may have hundreds of units under it: the chart and its table show a page of them, in the
    # order of their values (the first page: the highest).
    children = Paginator(data.children, CHILDREN_PAGE).get_page(request.GET.get("page"))
    shown = replace(data, children=list(children.object_list))
    context = {
        "data": shown,
        "children_page": children,
        "children_query": urlencode(
            {"unit": unit.code, "period": period.code, "indicator": indicator.code if indicator else ""}
        ),
        "unit": unit,
        "period": period,
        "indicator": indicator,
        "indicators": indicators,
        "ancestors": ancestors,
        "unit_picker": unit_picker,
        "recent_periods": _period_choices(period),
        "completeness": _completeness(data),
        "period_dates": _dates(period),
        "panels": _panels(request, unit, period),
        **_charts(shown),
    }
    return render(request, "reports/dashboard.html", context)


# ---------------------------------------------------------------- XLSX export

_TABLES = ("attainment", "children", "trend")


def _figure_cells(f: Figures) -> list:
    target = f.target
    return [
        f.numerator,
        f.denominator,
        f.value,
        target.get_comparator_display() if target else None,
        target.value if target else None,
        met_text(f.met) if f.met is not None else None,
        f.target_units,
        f.met_units,
    ]


def _figure_columns(indicator: Indicator | None) -> list[Column]:
    kind = "rate" if indicator is None or indicator.unit_label == "%" else "count"
    return [
        Column(_("Numerator"), "count"),
        Column(_("Denominator"), "count"),
        Column(_("Value") + (" (%)" if kind == "rate" else ""), "rate", 12),
        Column(_("Comparator"), "text", 10),
        Column(_("Target"), "rate", 12),
        Column(_("Met"), "text", 12),
        Column(_("Units with a target"), "count", 14),
        Column(_("Units meeting it"), "count", 14),
    ]


def export_tables(data: Dashboard, parts) -> list[Sheet]:
    place = f"{data.unit.code} – {data.unit.name}, " + periods.period_words(data.period)
    tables = []
    if "attainment" in parts:
        tables.append(
            Sheet(
                name=_("Attainment"),
                title=_("Target attainment") + f": {place}",
                columns=[
                    Column(_("Indicator code"), "text", 26),
                    Column(_("Indicator"), "text", 50),
                    *_figure_columns(None),
                ],
                rows=[
                    [row.figures.indicator.code, row.figures.indicator.name, *_figure_cells(row.figures)]
                    for row in data.attainment
                ],
            )
        )
    if data.indicator is not None and "children" in parts:
        tables.append(
            Sheet(
                name=_("By unit"),
                title=f"{data.indicator.name} " + _("by unit") + f": {place}",
                columns=[
                    Column(_("Unit code"), "text", 16),
                    Column(_("Unit"), "text", 40),
                    *_figure_columns(data.indicator),
                ],
                rows=[[row.unit.code, row.unit.name, *_figure_cells(row.figures)] for row in data.children],
            )
        )
    if data.indicator is not None and "trend" in parts:
        tables.append(
            Sheet(
                name=_("Trend"),
                title=f"{data.indicator.name} " + _("over time") + f": {place}",
                columns=[Column(_("Period"), "text", 12), *_figure_columns(data.indicator)],
                rows=[[row.label, *_figure_cells(row.figures)] for row in data.trend],
            )
        )
    return tables


def _xlsx(request, unit: Unit, period: Period, indicator: Indicator | None) -> FileResponse:
    wanted = request.GET.get("table")
    parts = (wanted,) if wanted in _TABLES else _TABLES
    data = dashboard_data(request.user, unit, period, indicator, parts)
    name = slugify(f"dashboard-{unit.code}-{period.code}-{wanted or 'all'}") + ".xlsx"
    return xlsx_response(workbook(export_tables(data, parts)), filename=name)


# ---------------------------------------------------------------- catalogue


def formula(indicator: Indicator, *, words: bool = False) -> str:
    """ "STAFF_IN_MASS_ORGS / STAFF_ELIGIBLE × 100" (sums in brackets); in `words`, the elements' names:
    "Cán bộ … đã tham gia đoàn thể ÷ Cán bộ … đủ điều kiện tham gia đoàn thể × 100"."""

    def side(code: str) -> str:
        terms = [term.element for term in indicator.terms.all() if term.side == code]
        names = [(element.short_name or element.name) if words else element.code for element in terms]
        text = " + ".join(names) or "0"
        return f"({text})" if len(names) > 1 else text

    factor = indicator.factor
    text = (
        f"{side(IndicatorTerm.Side.NUMERATOR)} {'÷' if words else '/'} {side(IndicatorTerm.Side.DENOMINATOR)}"
    )
    return (
        text
        if factor == 1
        else f"{text} × {number(factor.normalize(), max(0, -factor.normalize().as_tuple().exponent))}"
    )


def source_text(element: DataElement) -> str:
    if not element.source:
        return _("Entered")
    registered = sources.SOURCES.get(element.source)
    return _("Taken from: %(source)s") % {"source": registered.label if registered else element.source}


@login_required
def catalogue(request):
    require_somewhere(request.user, Perm.REPORT_VIEW)
    elements = [(element, source_text(element)) for element in DataElement.objects.all()]
    indicators = Indicator.objects.prefetch_related("terms__element", "targets__unit_group")
    rows = [
        {
            "indicator": indicator,
            "formula": formula(indicator),
            "formula_words": formula(indicator, words=True),
            "targets": [(target, target_text(target, indicator)) for target in indicator.targets.all()],
        }
        for indicator in indicators
    ]
    return render(
        request,
        "reports/catalogue.html",
        {
            "elements": elements,
            "rows": rows,
            "may_manage": policy.can(request.user, Perm.CATALOGUE_MANAGE, None),
        },
    )


class TargetForm(forms.ModelForm):
    indicator = forms.ModelChoiceField(Indicator.objects.all(), label=gettext_lazy("Indicator"))
    unit_group = forms.ModelChoiceField(
        UnitGroup.objects.all(),
        required=False,
        label=gettext_lazy("Unit group"),
        empty_label=gettext_lazy("Every unit"),
    )
    period_code = forms.CharField(
        required=False,
        max_length=12,
        label=gettext_lazy("Period"),
        help_text=gettext_lazy("Empty: every period. Otherwise a period code such as 2026S1."),
    )
    value = forms.DecimalField(
        label=gettext_lazy("Target value"), max_digits=14, decimal_places=4, min_value=0
    )

    class Meta:
        model = Target
        fields = ["indicator", "unit_group", "period_code", "comparator", "value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].label_from_instance = lambda indicator: indicator.name  # type: ignore[attr-defined]

    def validate_unique(self):
        """Checked in clean() with a clearer message (nulls count as equal here)."""

    def clean_period_code(self) -> str:
        code = (self.cleaned_data.get("period_code") or "").strip().upper()
        if not code:
            return ""
        try:
            return periods.span(code, periods.reporting_start()).code
        except periods.PeriodCodeError as error:
            raise ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        indicator = cleaned.get("indicator")
        if indicator is not None and "period_code" in cleaned:
            clash = Target.objects.filter(
                indicator=indicator, unit_group=cleaned.get("unit_group"), period_code=cleaned["period_code"]
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                raise ValidationError(
                    _("This indicator already has a target for this unit group and period.")
                )
        return cleaned


def target_save(form: TargetForm, *, by: Actor) -> Target | None:
    """Save the target and recount, all or nothing; None (with the error on the form) on a clash."""
    try:
        with transaction.atomic():
            target = form.save()
            services.targets_recount(by=by)
    except IntegrityError:
        form.add_error(None, _("This indicator already has a target for this unit group and period."))
        return None
    return target


def target_delete(target: Target, *, by: Actor) -> None:
    with transaction.atomic():
        target.delete()
        services.targets_recount(by=by)


@login_required
def target_edit(request, pk: int | None = None):
    require_somewhere(request.user, AtRoot(Perm.CATALOGUE_MANAGE))  # as the API
    target = get_object_or_404(Target, pk=pk) if pk is not None else None
    form = TargetForm(request.POST if request.method == "POST" else None, instance=target)
    if request.method == "POST" and form.is_valid() and target_save(form, by=request.user) is not None:
        messages.success(request, _("The target was saved; attainment was recounted."))
        return redirect("reports:catalogue")
    return render(request, "reports/catalogue_target.html", {"form": form, "target": target})


@login_required
@post_only("reports:target_edit")
def target_remove(request, pk: int):
    require_somewhere(request.user, AtRoot(Perm.CATALOGUE_MANAGE))  # as the API
    target_delete(get_object_or_404(Target, pk=pk), by=request.user)
    messages.success(request, _("The target was deleted; attainment was recounted."))
    return redirect("reports:catalogue")


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("catalogue/", catalogue, name="catalogue"),
    path("catalogue/targets/new/", target_edit, name="target_add"),
    path("catalogue/targets/<int:pk>/", target_edit, name="target_edit"),
    path("catalogue/targets/<int:pk>/delete/", target_remove, name="target_delete"),
]
