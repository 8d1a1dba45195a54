"""The ranking page: units ranked on chosen indicators and on a composite score, and its XLSX export.

The units ranked are the children of the chosen unit in the period's tree, or every unit of a chosen
type in its subtree — those the user may see (REPORT_VIEW, as the dashboards: a unit named outside
the scope answers 404, the export too). Figures are approved values read from the roll-up
(`selectors.place_figures`, a constant number of queries whatever the number of units); the ranks,
ties and the composite are `ranking.build`, whose formula the page states in words. A GET writes
nothing; a period not prepared yet is explained, never prepared.
"""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext as _

from danvan.accounts import policy
from danvan.accounts.policy import Perm
from danvan.core.tables import Column, Sheet, workbook, xlsx_response
from danvan.core.templatetags.vn import number
from danvan.orgs.models import Unit

from . import charts, periods, ranking, selectors, views_dashboard, views_periods
from .models import Indicator, Period, Target


def _chosen_indicators(request, indicators: list[Indicator]) -> list[Indicator]:
    """The indicators ticked (every one when none is)."""
    codes = {code.strip().upper() for code in request.GET.getlist("indicator")}
    chosen = [indicator for indicator in indicators if indicator.code in codes]
    return chosen or indicators


def formula_text() -> list[str]:
    """How the ranking is computed, in words (shown on the page and in the workbook)."""
    return [
        _(
            "Each indicator ranks the units that have a figure for it, the best first: the highest "
            "figure, or the lowest where the target is a maximum (≤)."
        ),
        _(
            "Units with the same figure share a rank, marked “tied”, and the next rank is skipped "
            "(1, 2, 2, 4). Units without figures are not ranked: they are listed last."
        ),
        _(
            "Composite score (out of 100) = the average of one score per chosen indicator. With a "
            "target: figure ÷ target × 100 (target ÷ figure × 100 for a maximum), at most 100 — "
            "meeting the target earns the whole score and going beyond it earns nothing more, so one "
            "indicator cannot make up for another. Without a target: a rate counts as its own score; "
            "another figure is scored against the best unit (figure ÷ best × 100)."
        ),
        _(
            "Only units with figures for every chosen indicator get a composite score and a rank; with "
            "a single indicator, units are ranked on its figure itself."
        ),
    ]


def ranking_data(user, unit: Unit, period: Period, indicators: list[Indicator], unit_type: str):
    """The ranking of the units below `unit` that `user` may see, with the parents' names."""
    places = selectors.ranked_places(unit=unit, period=period, unit_type=unit_type)
    figures = selectors.place_figures(period=period, places=places, indicators=indicators)
    parents = dict(places.values_list("unit_id", "parent"))
    units = Unit.objects.in_bulk([*figures, *(p for p in parents.values() if p)])
    visible = [units[i] for i in figures if i in units and policy.can(user, Perm.REPORT_VIEW, units[i])]
    targets = list(Target.objects.filter(indicator__in=indicators))
    result = ranking.build(units=visible, figures=figures, indicators=indicators, targets=targets)
    return result, {i: units.get(p) for i, p in parents.items() if p}


def cell_text(cell: ranking.Cell, indicator: Indicator) -> str:
    if cell.figure is None or cell.value is None:
        return charts.no_data_text()
    return f"{charts.format_value(cell.value, indicator)} {charts.mark(cell.figure.met)}".strip()


def rank_text(rank: int | None, tied: bool) -> str:
    if rank is None:
        return "—"
    return _("%(rank)s (tied)") % {"rank": number(rank)} if tied else number(rank)


def composite_text(line: ranking.Line, count: int) -> str:
    if line.composite is not None:
        return number(Decimal(line.composite.numerator) / Decimal(line.composite.denominator), 1)
    if line.missing == count:
        return charts.no_data_text()
    return _("figures missing for %(missing)s of %(count)s indicators") % {
        "missing": number(line.missing),
        "count": number(count),
    }


def _rows(result: ranking.Ranking, parents: dict) -> list[dict]:
    count = len(result.indicators)
    return [
        {
            "line": line,
            "parent": parents.get(line.unit.id),
            "composite": composite_text(line, count),
            "cells": [
                {
                    "text": cell_text(cell, indicator),
                    "rank": rank_text(cell.rank, cell.tied),
                    "met": cell.figure.met if cell.figure is not None else None,
                    "target": views_dashboard.target_text(
                        cell.figure.target if cell.figure else None, indicator
                    ),
                }
                for cell, indicator in zip(line.cells, result.indicators, strict=True)
            ],
        }
        for line in result.lines
    ]


@login_required
def ranking_page(request):
    unit, unit_picker = views_dashboard._unit(request)  # the dashboards' choice, scoped the same way
    code, period = views_dashboard._period(request)
    indicators = list(Indicator.objects.all())
    chosen = _chosen_indicators(request, indicators)
    start = periods.reporting_start()
    context = {
        "unit": unit,
        "unit_picker": unit_picker,
        "indicators": indicators,
        "chosen": chosen,
        "formula": formula_text(),
    }
    shown = period or views_periods.placeholder(code, start)
    recent = list(selectors.prepared_periods().order_by("-start", "period_type")[:12])
    if shown is not None and shown.code not in {p.code for p in recent}:
        recent.insert(0, shown)
    context["recent_periods"] = [(p.code, views_dashboard.period_name(p, start)) for p in recent]
    if period is None:
        placeholder = shown
        return render(
            request,
            "reports/ranking.html",
            {
                **context,
                "period": placeholder,
                "period_words": code,
                "notice": views_periods.notice(request, code),
            },
        )
    types = selectors.types_below(unit=unit, period=period)
    level = (request.GET.get("level") or "").strip()
    level = level if level in {t.code for t in types} else ""
    result, parents = ranking_data(request.user, unit, period, chosen, level)
    if request.GET.get("format") == "xlsx":
        return _xlsx(unit, period, result, parents, level_name=_level_name(types, level))
    return render(
        request,
        "reports/ranking.html",
        {
            **context,
            "period": period,
            "period_words": views_dashboard.period_name(period, start),
            "types": types,
            "level": level,
            "ranking": result,
            "headers": [(i, result.lower_better[i.id]) for i in result.indicators],
            "rows": _rows(result, parents),
            "export_query": request.GET.urlencode(),
        },
    )


def _level_name(types, level: str) -> str:
    return next((t.name for t in types if t.code == level), _("Units directly under it"))


# ---------------------------------------------------------------- XLSX export


def export_sheets(
    unit: Unit, period: Period, result: ranking.Ranking, parents: dict, *, level_name: str
) -> list[Sheet]:
    """The ranking as the page shows it (ranks, figures, scores as numbers), and how it is computed."""
    columns = [
        Column(_("Rank"), "count", 8),
        Column(_("Tied"), "text", 10),
        Column(_("Unit code"), "text", 14),
        Column(_("Unit"), "text", 40),
        Column(_("Under"), "text", 30),
    ]
    for indicator in result.indicators:
        kind = "rate" if indicator.unit_label == "%" else "number"
        columns += [
            Column(f"{indicator.name}: " + _("value"), kind, 14),
            Column(f"{indicator.name}: " + _("target"), "text", 12),
            Column(f"{indicator.name}: " + _("score"), "number", 10),
            Column(f"{indicator.name}: " + _("rank"), "count", 10),
        ]
    columns += [Column(_("Composite score (out of 100)"), "number", 14), Column(_("Note"), "text", 30)]
    count = len(result.indicators)
    rows = []
    for line in result.lines:
        row = [
            line.rank,
            _("tied") if line.tied else None,
            line.unit.code,
            line.unit.name,
            getattr(parents.get(line.unit.id), "name", None),
        ]
        for cell, indicator in zip(line.cells, result.indicators, strict=True):
            target = cell.figure.target if cell.figure is not None else None
            row += [
                cell.value,
                views_dashboard.target_text(target, indicator) if target else None,
                cell.score,
                cell.rank,
            ]
        row += [line.composite, None if line.composite is not None else composite_text(line, count)]
        rows.append(row)
    title = _("Ranking of units: %(unit)s, %(period)s (%(level)s)") % {
        "unit": unit.name,
        "period": views_dashboard.period_name(period),
        "level": level_name,
    }
    return [
        Sheet(name=_("Ranking"), title=title, columns=columns, rows=rows),
        Sheet(
            name=_("How it is computed"),
            columns=[Column(_("How it is computed"), "text", 120)],
            rows=[[t] for t in formula_text()],
        ),
    ]


def _xlsx(unit: Unit, period: Period, result, parents, *, level_name: str) -> FileResponse:
    name = slugify(f"xep-hang-{unit.code}-{period.code}") + ".xlsx"
    return xlsx_response(
        workbook(export_sheets(unit, period, result, parents, level_name=level_name)), filename=name
    )


urlpatterns = [path("ranking/", ranking_page, name="ranking")]
